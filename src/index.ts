/** starloop's public API: what plug-ins and scripts import from 'starloop'. */
export { defineVerifier, type VerifierDefinition, type VerdictResult, type VerifyContext, type AnyVerifier } from './verify/define.ts';
export { runVerifier, parseVerifierOptions } from './verify/run.ts';
export { VerifierRegistry } from './verify/registry.ts';
export { createVerifierRegistry, builtinVerifiers } from '../verifiers/index.ts';
export { Problem, ChatMessage, VerifierRef, problemText } from './schema/problem.ts';
export { Sample } from './schema/sample.ts';
export { Verdict, VerdictRecord, VerdictStatus } from './schema/verdict.ts';
export { RoundSummary, RunReport, SplitMetrics } from './schema/summary.ts';
export { RunManifest } from './schema/manifest.ts';
export { RunConfig } from './config/schema.ts';
export { loadConfig } from './config/load.ts';
export { loadProblems } from './problems/load.ts';
export { runLoop, type RunOptions, type RunResult } from './pipeline/run-loop.ts';
export { passAtK, computeSplitMetrics } from './pipeline/metrics.ts';
export type { Policy, PolicyRef, GenerationRequest, Generation, SamplingParams } from './policy/policy.ts';
export type { Trainer, TrainRequest } from './trainer/trainer.ts';
export type { PipelineEvent } from './pipeline/events.ts';
export * from './errors.ts';
