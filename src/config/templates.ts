import { ConfigError } from '../errors.ts';
import { suggest } from '../util/did-you-mean.ts';
import type { RunConfig } from './schema.ts';

/** `{{ name }}` placeholders, as the prompt renderer fills them. */
export const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

const KNOWN = {
  'prompt.template': ['problem', 'id'],
  'rationalize.hintTemplate': ['problem', 'answer'],
} as const;

/**
 * A placeholder the renderer does not know would be sent to the model as literal text (and a
 * hint template without `{{answer}}` gives no hint): both are config errors, named with the key.
 */
export function checkTemplates(config: Pick<RunConfig, 'prompt' | 'rationalize'>, source: string): void {
  const templates = { 'prompt.template': config.prompt.template, 'rationalize.hintTemplate': config.rationalize.hintTemplate };
  for (const [key, template] of Object.entries(templates) as [keyof typeof KNOWN, string][]) {
    const known: readonly string[] = KNOWN[key];
    for (const [, name] of template.matchAll(PLACEHOLDER)) {
      if (known.includes(name)) continue;
      const near = suggest(name, known, 1);
      throw new ConfigError(
        `${source}: ${key}: unknown placeholder {{${name}}}${near.length ? ` (did you mean {{${near[0]}}}?)` : ''}; known: ${known.map((k) => `{{${k}}}`).join(', ')}`,
      );
    }
  }
  if (config.rationalize.enabled && ![...config.rationalize.hintTemplate.matchAll(PLACEHOLDER)].some(([, name]) => name === 'answer')) {
    throw new ConfigError(`${source}: rationalize.hintTemplate has no {{answer}}, so the hint would not give the answer; add it or set rationalize.enabled: false`);
  }
}
