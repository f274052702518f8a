import { ConfigError } from '../errors.ts';
import type { RunConfig } from './schema.ts';
import { PLACEHOLDER } from './templates.ts';

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
  if (config.generate) checkGenerate(config.generate, source);
}

function checkGenerate(generate: NonNullable<RunConfig['generate']>, source: string): void {
  const names = new Set([...generate.template.matchAll(PLACEHOLDER)].map(([, name]) => name));
  for (const name of names) if (name !== 'examples') throw new ConfigError(`${source}: generate.template: unknown placeholder {{${name}}}; known: {{examples}}`);
  if (!names.has('examples')) throw new ConfigError(`${source}: generate.template has no {{examples}}, so the writer would see no example`);
  if (generate.minWords > generate.maxWords) throw new ConfigError(`${source}: generate.minWords (${generate.minWords}) is above generate.maxWords (${generate.maxWords})`);
  if (generate.seedExamples + generate.generatedExamples === 0) throw new ConfigError(`${source}: generate.seedExamples and generate.generatedExamples are both 0, so the writer would see no example`);
}
