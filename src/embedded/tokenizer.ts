/**
 * Character-level vocabulary: printable ASCII plus newline, an end-of-text token that also
 * opens every sequence, and an unknown token for anything else. Small enough that the
 * embedding is a few thousand parameters, wide enough to read hints and free text.
 */
export const EOS = 0;
export const UNK = 1;
const FIRST_CHAR_ID = 2;
const CHARS = '\n' + Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
/** Rounded up to a multiple of 4 so SIMD rows of the output layer have no tail. */
export const VOCAB_SIZE = Math.ceil((FIRST_CHAR_ID + CHARS.length) / 4) * 4;

/** Ids at or above this are padding of the vocabulary, never sampled. */
const CHAR_LIMIT = FIRST_CHAR_ID + CHARS.length;

/** Whether the sampler may emit this id: EOS or a real character (never UNK or padding). */
export function isSampleable(id: number): boolean {
  return id === EOS || (id >= FIRST_CHAR_ID && id < CHAR_LIMIT);
}

const idOfChar = new Map<string, number>([...CHARS].map((c, i) => [c, FIRST_CHAR_ID + i]));

export function encode(text: string): number[] {
  return [...text].map((c) => idOfChar.get(c) ?? UNK);
}

/** Whether `text` encodes to more than `limit` tokens; stops counting there. */
export function tokenCountOver(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _char of text) if (++count > limit) return true;
  return false;
}

/** Decodes generated ids; EOS ends nothing here (the sampler stops on it), UNK shows as U+FFFD. */
export function decode(ids: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === EOS) continue;
    out += id === UNK || id >= CHAR_LIMIT ? '\uFFFD' : CHARS[id - FIRST_CHAR_ID];
  }
  return out;
}
