import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { RunStoreError } from '../errors.ts';
import { DatasetLine, Provenance, Survivor } from '../schema/dataset.ts';
import { RunManifest } from '../schema/manifest.ts';
import { Sample } from '../schema/sample.ts';
import { RoundSummary, StageTiming, TrainStats } from '../schema/summary.ts';
import { OpenAIPreferenceLine } from '../schema/preference.ts';
import { PolicyRef, ServeState, TrainerState } from '../schema/training.ts';
import { VerdictRecord } from '../schema/verdict.ts';
import { writeJsonAtomic, writeJsonlAtomic } from './atomic-write.ts';
import { appendJsonl, readJsonl } from './jsonl.ts';
import { type BatchStage, runLayout, type RoundLayout, type RunLayout } from './layout.ts';
import { runIoError, storeIoAsync } from './io-error.ts';
import { acquireRunLock, type RunLock } from './lock.ts';
import { readJsonFile } from './read-json.ts';
import { loadedManifest, loadedPath, loadedRef, storedPath, storedRef } from './run-paths.ts';
import { JsonlRecordSink, type RecordSink } from './record-sink.ts';

export type Phase = 'train' | 'eval';

/** What a round's selection wrote: the survivors, the fine-tuning set built from them, and the round's train metrics. */
export interface Selection {
  survivors: Survivor[];
  lines: DatasetLine[];
  provenance: Provenance[];
  stats: TrainStats;
}

/** A small JSON record that survives `kill -9`, so a resumed round continues a paid job instead of starting another. */
export interface StateCell {
  read(): Promise<TrainerState | undefined>;
  write(value: TrainerState): Promise<void>;
}

/** A StateCell kept in one JSON file, written whole and atomically (its directory must exist). */
export function stateFile(path: string): StateCell {
  return { read: () => readJsonFile(path, TrainerState), write: (value) => writeJsonAtomic(path, value) };
}

/**
 * A run directory held open by one process. Samples and verdicts are appended as they arrive;
 * derived files (survivors, dataset, summary) are written whole and atomically.
 */
export class RunStore {
  readonly layout: RunLayout;
  readonly #lock: RunLock;

  private constructor(layout: RunLayout, lock: RunLock) {
    this.layout = layout;
    this.#lock = lock;
  }

  /** Opens (creating if needed) and locks a run directory. */
  static async open(runDir: string): Promise<RunStore> {
    const layout = runLayout(runDir);
    await storeIoAsync(runDir, () => mkdir(runDir, { recursive: true }));
    return new RunStore(layout, await acquireRunLock(layout.lock, runDir));
  }

  static exists(runDir: string): boolean {
    return existsSync(runLayout(runDir).manifest);
  }

  close(): void {
    this.#lock.release();
  }

  async readManifest(): Promise<RunManifest | undefined> {
    const manifest = await readJsonFile(this.layout.manifest, RunManifest);
    return manifest && loadedManifest(this.layout.dir, manifest);
  }

  async writeManifest(manifest: RunManifest): Promise<void> {
    const dir = this.layout.dir;
    await writeJsonAtomic(this.layout.manifest, { ...manifest, policies: manifest.policies.map((ref) => storedRef(dir, ref)), updatedAt: new Date().toISOString() });
  }

  async round(round: number): Promise<RoundLayout> {
    const layout = this.layout.round(round);
    await storeIoAsync(layout.dir, () => mkdir(layout.dir, { recursive: true }));
    return layout;
  }

  /** The append-only samples file of a round's train or eval phase. */
  samples(round: number, phase: Phase): RecordSink<Sample> {
    const layout = this.layout.round(round);
    return new JsonlRecordSink(phase === 'train' ? layout.samples : layout.evalSamples, Sample, (s) => s.id);
  }

  /** The append-only verdicts file of a round's train or eval phase, keyed by sample id. */
  verdicts(round: number, phase: Phase): RecordSink<VerdictRecord> {
    const layout = this.layout.round(round);
    return new JsonlRecordSink(phase === 'train' ? layout.verdicts : layout.evalVerdicts, VerdictRecord, (v) => v.sampleId);
  }

  /** Writes a round's survivors, dataset, provenance and train metrics, each file whole; the metrics last, as the mark of a complete selection. */
  async writeSelection(round: number, selection: Selection): Promise<void> {
    const layout = await this.round(round);
    await writeJsonlAtomic(layout.survivors, selection.survivors);
    await writeJsonlAtomic(layout.dataset, selection.lines);
    await writeJsonlAtomic(layout.provenance, selection.provenance);
    await writeJsonAtomic(layout.trainStats, selection.stats);
  }

  /** A round's stored survivors (none when its selection was not written). */
  async readSurvivors(round: number): Promise<Survivor[]> {
    const path = this.layout.round(round).survivors;
    return existsSync(path) ? readJsonl(path, Survivor) : [];
  }

  /** A round's stored train stats, written last with its selection (undefined when it was not written). */
  async readTrainStats(round: number): Promise<TrainStats | undefined> {
    return readJsonFile(this.layout.round(round).trainStats, TrainStats);
  }

  /** The complete selection stored for a round (e.g. the one that trained the next policy), or undefined. */
  async readSelection(round: number): Promise<Selection | undefined> {
    const layout = this.layout.round(round);
    const stats = await this.readTrainStats(round);
    if (!stats) return undefined;
    const [survivors, lines, provenance] = await Promise.all([
      readJsonl(layout.survivors, Survivor),
      readJsonl(layout.dataset, DatasetLine),
      readJsonl(layout.provenance, Provenance),
    ]);
    return { survivors, lines, provenance, stats };
  }

  /**
   * Replaces a round's train metrics after its verdicts were re-judged; the survivors and the
   * dataset they describe are left as they are.
   */
  async updateTrainStats(round: number, stats: TrainStats): Promise<void> {
    await writeJsonAtomic(this.layout.round(round).trainStats, stats);
  }

  async readSummary(round: number): Promise<RoundSummary | undefined> {
    return readJsonFile(this.layout.round(round).summary, RoundSummary);
  }

  async writeSummary(summary: RoundSummary): Promise<void> {
    const layout = await this.round(summary.round);
    await writeJsonAtomic(layout.summary, summary);
  }

  /** Adds one stage's time to the round's log, so a resumed round's timings add up instead of starting over. */
  async recordTiming(round: number, timing: StageTiming): Promise<void> {
    const layout = await this.round(round);
    await appendJsonl(layout.timings, [timing]);
  }

  /** Every stage time recorded for a round, by every process that worked on it. */
  async readTimings(round: number): Promise<StageTiming[]> {
    return readJsonl(this.layout.round(round).timings, StageTiming, { tolerateTornTail: true });
  }

  /** The policy trained from a round's dataset, once training succeeded. */
  async readNextPolicy(round: number): Promise<PolicyRef | undefined> {
    const ref = await readJsonFile(this.layout.round(round).nextPolicy, PolicyRef);
    return ref && loadedRef(this.layout.dir, ref);
  }

  async writeNextPolicy(round: number, ref: PolicyRef): Promise<void> {
    const layout = await this.round(round);
    await writeJsonAtomic(layout.nextPolicy, storedRef(this.layout.dir, ref));
  }

  /**
   * Whether a round's dataset is spoken for: it trained the next policy, or a trainer already
   * started on it (a paid job may be running). Such a dataset is never rewritten.
   */
  async datasetCommitted(round: number): Promise<boolean> {
    const layout = this.layout.round(round);
    if (existsSync(layout.nextPolicy) || existsSync(layout.serveState)) return true;
    const state = await this.trainerState(round).read();
    return state !== undefined && Object.keys(state).length > 0;
  }

  /** The round's trained adapter on its way to the servers (`train.serve`), if any. */
  async readServeState(round: number): Promise<ServeState | undefined> {
    const state = await readJsonFile(this.layout.round(round).serveState, ServeState);
    const dir = this.layout.dir;
    return state && { ...state, trained: loadedRef(dir, state.trained), path: loadedPath(dir, state.path), served: loadedRef(dir, state.served) };
  }

  async writeServeState(round: number, state: ServeState): Promise<void> {
    const layout = await this.round(round);
    const dir = this.layout.dir;
    await writeJsonAtomic(layout.serveState, { ...state, trained: storedRef(dir, state.trained), path: storedPath(dir, state.path), served: storedRef(dir, state.served) });
  }

  /** Writes the preference pairs a DPO fine-tune trains on, and their provenance (the provenance first: the pairs file marks them complete). */
  async writePairs(round: number, lines: readonly unknown[], provenance: readonly unknown[]): Promise<void> {
    const layout = await this.round(round);
    await writeJsonlAtomic(layout.pairsProvenance, provenance);
    await writeJsonlAtomic(layout.pairs, lines);
  }

  /** How many preference pairs a round's `pairs.jsonl` holds. */
  async readPairCount(round: number): Promise<number> {
    return (await readJsonl(this.layout.round(round).pairs, OpenAIPreferenceLine)).length;
  }

  /** The Batch API batches one sampling stage of a round submitted. */
  batchState(round: number, stage: BatchStage): StateCell {
    const cell = stateFile(this.layout.round(round).batchState(stage));
    return {
      read: cell.read,
      write: async (value) => {
        await this.round(round);
        await cell.write(value);
      },
    };
  }

  trainerState(round: number): StateCell {
    return stateFile(this.layout.round(round).trainerState);
  }
}

/**
 * Checks that `runDir` is what the command expects before anything is requested: a new run goes
 * into a missing or empty directory, a resumed one into a run directory. A directory that has
 * round data but no manifest is refused either way: nothing would say what those samples are.
 */
export function checkRunDirectory(runDir: string, resume: boolean, options: { locked?: boolean } = {}): void {
  let entries: string[];
  try {
    if (!statSync(runDir).isDirectory()) throw new RunStoreError('RUN_EXISTS', `--out ${runDir} is a file, not a directory; choose a directory for the run`);
    const names = readdirSync(runDir);
    // Another process may hold the run and be writing its manifest: the lock decides, and the
    // check is repeated once the lock is ours.
    if (names.includes('run.lock') && !options.locked) return;
    entries = names.filter((name) => name !== 'run.lock');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw runIoError(runDir, error, 'read');
    entries = [];
  }
  const hasManifest = entries.includes('manifest.json');
  if (!hasManifest && entries.some((name) => /^round-\d+$/.test(name))) {
    throw new RunStoreError('RUN_MISMATCH', `${runDir} holds round data but no manifest.json, so nothing says which config and problems its samples belong to; it cannot be used as a run directory`);
  }
  if (resume && !hasManifest) {
    throw new RunStoreError('RUN_NOT_FOUND', `nothing to resume: ${runDir} holds no run (no manifest.json); check --out, or drop --resume to start a new run there`);
  }
  if (!resume && hasManifest) {
    throw new RunStoreError('RUN_EXISTS', `run directory ${runDir} already holds a run; add --resume to continue it, or choose another --out`);
  }
  if (!resume && entries.length > 0) {
    throw new RunStoreError('RUN_EXISTS', `${runDir} is not empty and holds no run (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose a new or empty directory for --out`);
  }
}
