import type { PolicyConfig, RunConfig } from '../config/schema.ts';
import { createEmbeddedPolicy } from './embedded.ts';
import { createOpenAIPolicy } from './openai/index.ts';
import type { Policy } from './policy.ts';
import type { PolicyRef } from '../schema/training.ts';

/** The policy the run starts from, before any fine-tuning. */
export function basePolicyRef(config: RunConfig): PolicyRef {
  if (config.policy.type === 'openai') return { model: config.policy.model };
  return { model: 'embedded', ...(config.policy.checkpoint ? { checkpoint: config.policy.checkpoint } : {}) };
}

/** A sampler for `ref` (the base model, or a model trained in an earlier round). */
export async function createPolicy(config: RunConfig, ref: PolicyRef, env: NodeJS.ProcessEnv = process.env): Promise<Policy> {
  if (config.policy.type === 'openai') {
    return createOpenAIPolicy(config.policy, { concurrency: config.sampling.concurrency, model: ref.model, env });
  }
  return createEmbeddedPolicy(config.policy, ref);
}

/** The teacher's policy config (the `teacher` key without its own `rounds`). */
export function teacherPolicyConfig(config: RunConfig): PolicyConfig | undefined {
  if (!config.teacher) return undefined;
  const { rounds: _rounds, ...policy } = config.teacher;
  return policy;
}

/** A sampler for the config's teacher, undefined without one. */
export async function createTeacherPolicy(config: RunConfig, env: NodeJS.ProcessEnv = process.env): Promise<Policy | undefined> {
  const policy = teacherPolicyConfig(config);
  if (!policy) return undefined;
  const asPolicy = { ...config, policy };
  return createPolicy(asPolicy, basePolicyRef(asPolicy), env);
}
