import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import { RunStoreError } from '../errors.ts';
import type { PolicyRef } from '../policy/policy.ts';
import { RunManifest } from '../schema/manifest.ts';
import { Sample } from '../schema/sample.ts';
import type { RoundSummary } from '../schema/summary.ts';
import { VerdictRecord } from '../schema/verdict.ts';
import type { TrainerState } from '../trainer/trainer.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import { runLayout, type RoundLayout, type RunLayout } from './layout.ts';
import { acquireRunLock, type RunLock } from './lock.ts';
import { readJsonFile } from './read-json.ts';
import { JsonlRecordSink, type RecordSink } from './record-sink.ts';

export type Phase = 'train' | 'eval';

const PolicyRefFile = z.object({ model: z.string(), checkpoint: z.string().optional() });

/**
 * A run directory held open by one process. Samples and verdicts are appended as they arrive;
 * derived files (survivors, dataset, summary) are rewritten whole and atomically.
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
    await mkdir(runDir, { recursive: true });
    return new RunStore(layout, acquireRunLock(layout.lock, runDir));
  }

  static exists(runDir: string): boolean {
    return existsSync(runLayout(runDir).manifest);
  }

  close(): void {
    this.#lock.release();
  }

  async readManifest(): Promise<RunManifest | undefined> {
    return readJsonFile(this.layout.manifest, RunManifest);
  }

  async writeManifest(manifest: RunManifest): Promise<void> {
    await writeJsonAtomic(this.layout.manifest, { ...manifest, updatedAt: new Date().toISOString() });
  }

  async round(round: number): Promise<RoundLayout> {
    const layout = this.layout.round(round);
    await mkdir(layout.dir, { recursive: true });
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

  async writeSummary(summary: RoundSummary): Promise<void> {
    const layout = await this.round(summary.round);
    await writeJsonAtomic(layout.summary, summary);
  }

  async readNextPolicy(round: number): Promise<PolicyRef | undefined> {
    return readJsonFile(this.layout.round(round).nextPolicy, PolicyRefFile);
  }

  async writeNextPolicy(round: number, ref: PolicyRef): Promise<void> {
    const layout = await this.round(round);
    await writeJsonAtomic(layout.nextPolicy, ref);
  }

  trainerState(round: number): TrainerState {
    const path = this.layout.round(round).trainerState;
    return {
      read: () => readJsonFile(path, z.unknown()),
      write: (value) => writeJsonAtomic(path, value),
    };
  }

}

export function assertResumable(runDir: string, resume: boolean): void {
  if (!resume && RunStore.exists(runDir)) {
    throw new RunStoreError('RUN_EXISTS', `run directory ${runDir} already holds a run; add --resume to continue it, or choose another --out`);
  }
}
