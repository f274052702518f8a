import { rougeTokens } from './rouge.ts';

/** Why a problem's own text is refused, before it is compared with the pool. */
export type TextRefusal = { reason: 'too-short' | 'too-long' | 'blacklist'; detail: string };

export interface TextFilterSettings {
  minWords: number;
  maxWords: number;
  blacklist: readonly string[];
}

/**
 * Self-Instruct's checks of a new task on its own: its length in words (the lower-cased
 * alphanumeric words ROUGE-L counts) within bounds, and none of the blacklisted words or phrases
 * as whole words, any case ("map" refuses "a map of", not "mapping").
 */
export function textRefusal(text: string, settings: TextFilterSettings): TextRefusal | undefined {
  const words = rougeTokens(text);
  if (words.length < settings.minWords) return { reason: 'too-short', detail: `${words.length} words, fewer than ${settings.minWords}` };
  if (words.length > settings.maxWords) return { reason: 'too-long', detail: `${words.length} words, more than ${settings.maxWords}` };
  const padded = ` ${words.join(' ')} `;
  for (const entry of settings.blacklist) {
    const phrase = rougeTokens(entry).join(' ');
    if (phrase !== '' && padded.includes(` ${phrase} `)) return { reason: 'blacklist', detail: `contains "${entry}"` };
  }
  return undefined;
}

/** The text a normalized duplicate shares: its words, lower-cased, punctuation and spacing gone. */
export function normalizedText(text: string): string {
  return rougeTokens(text).join(' ');
}
