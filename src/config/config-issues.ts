import type { z } from 'zod';
import { didYouMean } from '../util/did-you-mean.ts';
import { type ConfigKey, configKeys } from './keys.ts';

/**
 * Why a config does not parse, one line per issue naming its key path. A key the schema does not
 * know is named on a line of its own with the keys of the same mapping it is nearest to, as
 * `--set` of an unknown key does: `sampling.temprature: unknown key. Did you mean 'temperature'?`
 */
export function formatConfigIssues(error: z.ZodError, raw: unknown): string {
  let known: ConfigKey[] | undefined;
  return error.issues
    .flatMap((issue) => {
      if (issue.code !== 'unrecognized_keys') return [issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message];
      known ??= configKeys();
      const names = siblingNames(known, issue.path, raw);
      return issue.keys.map((key) => `${[...issue.path.map(String), key].join('.')}: unknown key.${didYouMean(key, names)}`);
    })
    .join('\n');
}

/** The key names the mapping at `path` may hold (for a policy or trainer, those of its `type`). */
function siblingNames(known: ConfigKey[], path: readonly PropertyKey[], raw: unknown): string[] {
  const parent = path.map((part) => (typeof part === 'number' ? '[]' : String(part))).join('.').replaceAll('.[]', '[]');
  const type = valueAt(raw, path)?.type;
  const names = known
    .filter((key) => key.variant === undefined || type === undefined || key.variant === type)
    .filter((key) => (parent === '' ? !/[.[]/.test(key.path) : key.path.startsWith(`${parent}.`) && !/[.[]/.test(key.path.slice(parent.length + 1))))
    .map((key) => (parent === '' ? key.path : key.path.slice(parent.length + 1)));
  return [...new Set(names)];
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let node = raw;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}
