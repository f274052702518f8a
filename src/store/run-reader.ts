import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { FileFormatError, RunStoreError } from '../errors.ts';
import { RunManifest } from '../schema/manifest.ts';
import { RoundSummary, type RunReport } from '../schema/summary.ts';
import { VerdictRecord } from '../schema/verdict.ts';
import { iterateJsonl, readJsonl } from './jsonl.ts';
import { readJsonFile } from './read-json.ts';
import { runLayout } from './layout.ts';
import { loadedManifest } from './run-paths.ts';

export type Phase = 'train' | 'eval';

export async function readRunManifest(runDir: string): Promise<RunManifest> {
  const { manifest } = runLayout(runDir);
  if (!existsSync(manifest)) throw new RunStoreError('RUN_NOT_FOUND', `no run at ${runDir}: ${manifest} does not exist`);
  return loadedManifest(runDir, await readJsonFile(manifest, RunManifest, 'run manifest'));
}

/** The round numbers that have a `round-N/` directory, ascending (numerically: round-10 after round-9). */
export async function listRoundDirs(runDir: string): Promise<number[]> {
  const entries = await readdir(runDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && /^round-\d+$/.test(entry.name))
    .map((entry) => Number(entry.name.slice('round-'.length)))
    .sort((a, b) => a - b);
}

/**
 * The run's name and every round that has finished enough to write `summary.json`. A round
 * directory without a summary (a round in progress) is skipped, not an error.
 */
export async function readRunReport(runDir: string): Promise<RunReport> {
  const manifest = await readRunManifest(runDir);
  const layout = runLayout(runDir);
  const rounds: RoundSummary[] = [];
  for (const round of await listRoundDirs(runDir)) {
    const path = layout.round(round).summary;
    if (!existsSync(path)) continue;
    const summary = await readJsonFile(path, RoundSummary, 'round summary');
    if (summary.round !== round) throw new FileFormatError(`round summary ${path} says round ${summary.round}, but its directory is round-${round}`);
    rounds.push(summary);
  }
  return { name: manifest.name, rounds, ...(manifest.contamination ? { contamination: manifest.contamination } : {}) };
}

/** Rounds that have a fine-tuning set (`dataset.jsonl`), ascending. */
export async function listDatasetRounds(runDir: string): Promise<number[]> {
  await readRunManifest(runDir);
  const layout = runLayout(runDir);
  return (await listRoundDirs(runDir)).filter((round) => existsSync(layout.round(round).dataset));
}

/**
 * The verdicts of one round and phase (missing file → none), one per sample: a re-judged sample's
 * last verdict, the one that counts. A run may still be writing, so a last line cut short by a
 * crash is skipped rather than failing the report.
 */
export async function readRunVerdicts(runDir: string, round: number, phase: Phase): Promise<VerdictRecord[]> {
  const files = runLayout(runDir).round(round);
  const bySample = new Map<string, VerdictRecord>();
  for (const verdict of await readJsonl(phase === 'eval' ? files.evalVerdicts : files.verdicts, VerdictRecord, { tolerateTornTail: true })) {
    bySample.set(verdict.sampleId, verdict);
  }
  return [...bySample.values()];
}

/** The verdicts of one round and phase, one at a time (a round may hold millions); torn last line skipped. */
export function iterateRunVerdicts(runDir: string, round: number, phase: Phase): AsyncIterable<VerdictRecord> {
  const files = runLayout(runDir).round(round);
  return iterateJsonl(phase === 'eval' ? files.evalVerdicts : files.verdicts, VerdictRecord, { tolerateTornTail: true });
}

/** Verdicts of one phase across every round directory of the run, in round order. */
export async function readAllRunVerdicts(runDir: string, phase: Phase): Promise<VerdictRecord[]> {
  const all: VerdictRecord[] = [];
  // One push per verdict: spreading a round's verdicts as arguments overflows the stack past ~100k.
  for (const round of await listRoundDirs(runDir)) for (const verdict of await readRunVerdicts(runDir, round, phase)) all.push(verdict);
  return all;
}
