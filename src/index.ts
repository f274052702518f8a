/**
 * starloop's public API: what scripts, notebooks' harnesses and plug-ins import from 'starloop'.
 */

// Running the loop and evaluating a policy.
export { runLoop, evaluate, parseConfig, loadVerifierRegistry, type RunLoopOptions, type EvaluateOptions } from './library.ts';
export type { RunOptions, RunResult, PolicyFactory } from './pipeline/run-loop.ts';
export type { PipelineEvent, EventSink, Stage } from './pipeline/events.ts';
export type { DatasetSource, Dataset } from './pipeline/select.ts';
export { loadConfig } from './config/load.ts';
export { RunConfig } from './config/schema.ts';

// Bringing your own sampler or trainer.
export type { Policy, GenerationRequest, Generation, GenerateOptions } from './policy/policy.ts';
export type { Trainer, TrainRequest, TrainProgress } from './trainer/trainer.ts';
export type { StateCell } from './store/run-store.ts';

// Data: problems, samples, verdicts, datasets, reports.
export { loadProblems } from './problems/load.ts';
export { Problem, ChatMessage, VerifierRef, problemText } from './schema/problem.ts';
export { Sample, SamplingParams, Usage } from './schema/sample.ts';
export { Verdict, VerdictRecord, VerdictStatus } from './schema/verdict.ts';
export { DatasetLine, Provenance, Survivor } from './schema/dataset.ts';
export { PolicyRef, TrainerState, Hyperparameters } from './schema/training.ts';
export { RoundSummary, RunReport, SplitMetrics, EvalStats, TrainStats, TokenTotals, StageTimings } from './schema/summary.ts';
export { RunManifest } from './schema/manifest.ts';
export { readRunReport, readRunManifest, readRunVerdicts } from './store/run-reader.ts';
export { passAtK } from './metrics/pass-at-k.ts';
export { computeSplitMetrics } from './metrics/split.ts';

// Verifiers: writing, checking and running them.
export { defineVerifier, type VerifierDefinition, type VerdictResult, type VerifyContext, type AnyVerifier } from './verify/define.ts';
export { runVerifier, parseVerifierOptions } from './verify/run.ts';
export { VerifierRegistry } from './verify/registry.ts';
export { createVerifierRegistry, builtinVerifiers } from '../verifiers/index.ts';
export { loadVerifierPlugin } from './verify/plugin.ts';
export { checkVerifierContract, type ContractCase, type ContractCheck } from './verify/contract.ts';
export { runGoldenCases, GoldenCase } from './verify/golden.ts';
export { createSandbox, requireIsolation, detectIsolation, type Sandbox, type SandboxJob, type SandboxOutcome } from './sandbox/index.ts';

export * from './errors.ts';
