import { existsSync } from 'node:fs';
import { RunConfig, type PairsConfig } from '../config/schema.ts';
import { RunStoreError } from '../errors.ts';
import { readProblemFile } from '../problems/load.ts';
import type { RunManifest } from '../schema/manifest.ts';
import { Sample } from '../schema/sample.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import { readJsonl } from '../store/jsonl.ts';
import { runLayout } from '../store/layout.ts';
import { listRoundDirs, readRunManifest, readRunVerdicts } from '../store/run-reader.ts';
import { fileSha256 } from './manifest.ts';
import { buildPairs, type PreferencePair } from './pairs.ts';
import { renderPrompt } from './prompt.ts';

/** Rounds of a run whose train samples have verdicts, ascending. */
export async function pairableRounds(runDir: string): Promise<number[]> {
  await readRunManifest(runDir);
  const layout = runLayout(runDir);
  return (await listRoundDirs(runDir)).filter((round) => existsSync(layout.round(round).verdicts));
}

/**
 * The preference pairs of a run directory's rounds, read back from its stored samples and
 * verdicts. Prompts are rendered again from the run's problem files and config, so the files must
 * be where the run read them, unchanged (their hashes are in the manifest).
 */
export async function readRunPairs(runDir: string, rounds: readonly number[], options: PairsConfig, seed?: number): Promise<PreferencePair[]> {
  const manifest = await readRunManifest(runDir);
  const parsed = RunConfig.safeParse(manifest.config);
  if (!parsed.success) throw new RunStoreError('RUN_MISMATCH', `${runDir}: the config in its manifest.json does not parse with this starloop (${parsed.error.issues[0]?.message}); it was made by another version`);
  const config = parsed.data;
  await checkProblemFile(runDir, manifest, 'train');
  const train = await readProblemFile(config.problems.train, { format: config.problems.format, split: 'train', limit: config.problems.limit });
  // Train problems the run dropped as copies of eval problems are never paired either.
  const evalIds = new Set<string>((manifest.contamination?.dropped ?? []).map((d) => d.trainId));
  if (config.problems.eval) {
    await checkProblemFile(runDir, manifest, 'eval');
    const evaluation = await readProblemFile(config.problems.eval, { format: config.problems.format, split: 'eval', limit: config.problems.limit });
    for (const problem of evaluation.problems) evalIds.add(problem.id);
  }
  const layout = runLayout(runDir);
  const samples: Sample[] = [];
  const verdicts = new Map<string, VerdictRecord>();
  for (const round of rounds) {
    const path = layout.round(round).samples;
    if (!existsSync(path)) throw new RunStoreError('RUN_NOT_FOUND', `round ${round} of ${runDir} has no train samples`);
    // One at a time: a round's samples can outnumber a call's arguments.
    for (const sample of await readJsonl(path, Sample, { tolerateTornTail: true })) samples.push(sample);
    for (const verdict of await readRunVerdicts(runDir, round, 'train')) verdicts.set(verdict.sampleId, verdict);
  }
  return buildPairs({
    problems: train.problems,
    evalIds,
    samples,
    verdicts,
    render: (problem) => renderPrompt(config, problem).messages,
    options,
    seed: seed ?? config.seed,
  });
}

async function checkProblemFile(runDir: string, manifest: RunManifest, split: 'train' | 'eval'): Promise<void> {
  const fingerprint = manifest.datasets[split];
  if (!fingerprint) return;
  if (!existsSync(fingerprint.path)) {
    throw new RunStoreError('RUN_NOT_FOUND', `the ${split} problem file of ${runDir}, ${fingerprint.path}, is gone; pairs need the problems' prompts`);
  }
  if ((await fileSha256(fingerprint.path)) !== fingerprint.sha256) {
    throw new RunStoreError('RUN_MISMATCH', `the ${split} problem file ${fingerprint.path} changed since ${runDir} was run; its prompts would not be the ones sampled`);
  }
}
