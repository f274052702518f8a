import type { RunConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { createCommandTrainer } from './command.ts';
import { createEmbeddedTrainer } from './embedded.ts';
import { createOpenAITrainer } from './openai.ts';
import type { Trainer } from './trainer.ts';

/** The trainer a run config names; undefined for `none` (the run stops after writing its dataset). */
export function createTrainer(config: RunConfig, env: NodeJS.ProcessEnv = process.env): Trainer | undefined {
  const train = config.train;
  switch (train.type) {
    case 'none':
      return undefined;
    case 'command':
      return createCommandTrainer(train);
    case 'embedded':
      if (config.policy.type !== 'embedded') throw new ConfigError('train.type embedded needs policy.type embedded');
      return createEmbeddedTrainer(train);
    case 'openai': {
      const policy = config.policy;
      const baseURL = train.baseURL ?? (policy.type === 'openai' ? (policy.baseURL ?? policy.endpoints?.[0]?.baseURL) : undefined);
      if (!baseURL) throw new ConfigError('train.baseURL is required when the policy is not an openai endpoint');
      const apiKeyEnv = train.apiKeyEnv ?? (policy.type === 'openai' ? policy.apiKeyEnv : 'OPENAI_API_KEY');
      return createOpenAITrainer(train, { baseURL, apiKeyEnv, env });
    }
  }
}

/** Whether each fine-tune starts again from the base model (STaR, ReST-EM) or continues the last one. */
export function restartsFromBase(config: RunConfig): boolean {
  return config.train.type === 'none' ? true : config.train.restartFromBase;
}

/** The model id fine-tuning starts from in round 1. */
export function trainBaseModel(config: RunConfig): string | undefined {
  const train = config.train;
  if ((train.type === 'openai' || train.type === 'command') && train.base) return train.base;
  return undefined;
}
