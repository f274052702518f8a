import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { GenerateConfig } from '../config/generate-schema.ts';
import { canonicalJson, classifyConfig } from '../config/key-classes.ts';
import type { RunConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import type { VerifierRef } from '../schema/problem.ts';
import { writeJsonAtomic } from '../store/atomic-write.ts';
import { readJsonFile } from '../store/read-json.ts';
import { describeSettingChanges, flattenSettings, settingChanges } from '../store/settings-file.ts';
import { dropsPath } from './records.ts';
import { repliesPath } from './reply-store.ts';

/** The settings file of an output file. */
export const settingsPath = (out: string) => `${out}.settings.json`;

/**
 * `OUT.settings.json`: what decides which problems an output file keeps, by dotted config key
 * (and `seeds.*`), written before its first reply is stored.
 */
export const OutputSettings = z.object({ settings: z.record(z.string(), z.unknown()) }).strict();
export type OutputSettings = z.infer<typeof OutputSettings>;

/** What a rerun may change: how many problems, how long to try, and where and how fast the writer is asked. */
export const MAY_CHANGE = '--count, generate.maxRequests, and the writer\'s URLs, key variable, concurrency, rate and time limits, retries and prices';

export interface SettingsSource {
  config: RunConfig;
  settings: GenerateConfig;
  seeds: readonly { id: string; problem: string; answer: string }[];
  /** The seeds' layout's verifier, used when none is configured. */
  verifier?: VerifierRef;
}

/**
 * The settings that decide which problems are kept, flattened to dotted keys: every `generate`
 * key but `maxRequests` (a cap on tries, like `--count`); the writer's computed keys (the teacher's,
 * else the policy's: model, type, mode, extraBody, checkpoint; never its URL or key variable);
 * `sampling.topP`, which the writer samples with; the verifier and plug-ins that read answers;
 * with `self-consistency` the solver's prompt and sampling; and the seeds as read (their count and
 * the sha256 of their ids, texts and answers, so a reformatted file is the same seeds).
 */
export function outputSettings(source: SettingsSource): Record<string, unknown> {
  const { config, settings } = source;
  const { maxRequests: _cap, ...generate } = settings;
  const writer = config.teacher ? 'teacher' : 'policy';
  const writerKeys = [...classifyConfig(config as unknown as Record<string, unknown>).values()]
    .filter(({ path, keyClass }) => keyClass === 'computed' && path.startsWith(`${writer}.`) && path !== 'teacher.rounds')
    .map(({ path, value }) => [path, value] as const);
  const solver =
    settings.answer.method === 'self-consistency'
      ? { prompt: config.prompt, sampling: { temperature: config.sampling.temperature, maxTokens: config.sampling.maxTokens, stop: config.sampling.stop } }
      : {};
  const seedsHash = createHash('sha256').update(canonicalJson(source.seeds.map(({ id, problem, answer }) => ({ id, problem, answer })))).digest('hex');
  return flattenSettings({
    generate,
    ...Object.fromEntries(writerKeys),
    ...solver,
    'sampling.topP': config.sampling.topP,
    verifier: config.verifier ?? source.verifier,
    verifiers: config.verifiers,
    seeds: { problems: source.seeds.length, sha256: seedsHash },
  });
}

/** Whether anything of an output was stored: kept problems, drops, or replies. */
function holdsWork(out: string): boolean {
  return [out, dropsPath(out), repliesPath(out)].some((path) => existsSync(path) && statSync(path).size > 0);
}

/**
 * Records the settings beside `out`, or checks them against those recorded: an output that holds
 * work under other settings is refused (its problems would be filtered two ways), naming each
 * change. An output with no work yet takes the new settings. An output written before settings
 * were recorded is adopted with a warning: its work was paid for, and its lines say which writer
 * and answer method made them.
 */
export async function checkOutputSettings(out: string, given: Record<string, unknown>, warn: (message: string) => void): Promise<void> {
  const path = settingsPath(out);
  const stored = await readJsonFile(path, OutputSettings);
  if (stored) {
    const changes = settingChanges(stored.settings, given);
    if (changes.length === 0) return;
    if (holdsWork(out)) {
      throw new ConfigError(
        `${out} was generated with other settings (${describeSettingChanges(changes)}; recorded in ${path}): restore them, or write to another --out (a rerun may change ${MAY_CHANGE})`,
      );
    }
  } else if (holdsWork(out)) {
    warn(`${out} was written by a starloop that did not record its settings: its work is taken as made with the present settings, recorded now in ${path} (a later rerun with others is refused); if it was made with others, the file mixes the two`);
  }
  await writeJsonAtomic(path, { settings: given } satisfies OutputSettings);
}
