import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type ConfigFlags, FLAG_KEYS, loadRunConfig } from '../../src/cli/config-source.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { configKeys } from '../../src/config/keys.ts';
import type { RunConfig } from '../../src/config/schema.ts';
import { tempDir } from '../e2e/cli.ts';

/** Three valid values per flag-set key: what the file, `--set` and the flag each say. */
const VALUES: Record<string, [file: unknown, set: unknown, flag: unknown]> = {
  rounds: [2, 3, 4],
  name: ['from-file', 'from-set', 'from-flag'],
  'sampling.k': [2, 3, 4],
  'sampling.temperature': [0.25, 0.5, 0.75],
  'sampling.concurrency': [2, 3, 4],
  'eval.k': [2, 3, 4],
};

const at = (config: RunConfig, path: string) => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config);

function nested(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
}

async function configFile(path: string, value: unknown): Promise<string> {
  const file = join(await tempDir('starloop-precedence-'), 'config.json');
  const [head] = path.split('.');
  const body = { problems: { train: 'train.jsonl' }, ...nested(path, value) };
  await writeFile(file, JSON.stringify(head === 'problems' ? { ...body, problems: { train: 'train.jsonl', ...(body.problems as object) } } : body));
  return file;
}

const cases = Object.entries(FLAG_KEYS).flatMap(([command, flags]) => Object.entries(flags).map(([flag, key]) => ({ command, flag, key })));
const flagKeysOf = (command: string): Record<string, string> => FLAG_KEYS[command as keyof typeof FLAG_KEYS];
const load = (flags: ConfigFlags & Record<string, unknown>, flagKeys: Record<string, string> = {}) => loadRunConfig(flags, flagKeys);

describe.each(cases)('$command --$flag sets $key', ({ command, flag, key }) => {
  const [fromFile, fromSet, fromFlag] = VALUES[key];
  const set = [`${key}=${fromSet}`];

  test('the command has the flag, and the key exists', () => {
    const options = buildProgram().commands.find((c) => c.name() === command)!.options;
    expect(options.map((o) => o.attributeName())).toContain(flag);
    expect(configKeys().map((k) => k.path)).toContain(key);
  });

  test('defaults < file < --set < flag, each only when given', async () => {
    const config = await configFile(key, fromFile);
    const flagKeys = flagKeysOf(command);
    expect(at((await load({ config }, flagKeys)).config, key)).toEqual(fromFile);
    expect(at((await load({ config, set }, flagKeys)).config, key)).toEqual(fromSet);
    expect(at((await load({ config, set, [flag]: fromFlag }, flagKeys)).config, key)).toEqual(fromFlag);
    expect(at((await load({ config, [flag]: fromFlag }, flagKeys)).config, key)).toEqual(fromFlag);
  });

  test('--set and the flag apply to the built-in default config too', async () => {
    const flagKeys = flagKeysOf(command);
    expect(at((await load({ set }, flagKeys)).config, key)).toEqual(fromSet);
    expect(at((await load({ set, [flag]: fromFlag }, flagKeys)).config, key)).toEqual(fromFlag);
  });
});

test('--set of a key that does not exist names it and the nearest known key', async () => {
  await expect(load({ set: ['sampling.kk=2'] })).rejects.toThrow("--set sampling.kk: no such config key. Did you mean 'sampling.k'");
  await expect(load({ set: ['select.maxPerProblm=2'] })).rejects.toThrow(/Did you mean 'select\.maxPerProblem'\?/);
  await expect(load({ set: ['nosuchthing=1'] })).rejects.toThrow(/^--set nosuchthing: no such config key\.$/);
});

test('--set may name keys inside free mappings (request extras, verifier options)', async () => {
  const { config } = await load({
    set: ['policy={type: openai, baseURL: "http://127.0.0.1:1/v1", model: m}', 'policy.extraBody.top_k=20', 'verifier={id: math}', 'verifier.options.relativeTolerance=0.01'],
  });
  expect(config.policy).toMatchObject({ type: 'openai', extraBody: { top_k: 20 } });
  expect(config.verifier).toEqual({ id: 'math', options: { relativeTolerance: 0.01 } });
});
