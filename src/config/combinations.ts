import { ConfigError } from '../errors.ts';
import type { RunConfig } from './schema.ts';

/**
 * Settings that parse one by one but do nothing, or cannot work, together: a config error naming
 * them, before anything is requested.
 */
export function checkCombinations(config: RunConfig, source: string): void {
  if (config.train.type === 'command' && /\{steps\}/.test(config.train.command) && config.train.steps === undefined) {
    throw new ConfigError(`${source}: train.command uses {steps}, but train.steps is not set`);
  }
  if (config.select.majorityShare !== undefined && config.select.filter !== 'majority') {
    throw new ConfigError(`${source}: select.majorityShare applies only with select.filter: majority`);
  }
}
