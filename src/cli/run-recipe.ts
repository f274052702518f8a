import { resolve } from 'node:path';
import { parseSetOptions } from '../config/load.ts';
import { ConfigError } from '../errors.ts';
import { loadVerifierRegistry } from '../library.ts';
import { recipeNamed, recipeSettings } from '../recipes/recipes.ts';
import { interruptSignal } from './config-source.ts';
import { type EventOutputFlags, eventOutput } from './event-output.ts';
import { writeJson } from './options.ts';

export interface RecipeFlags extends EventOutputFlags {
  recipe?: string;
  out?: string;
  resume?: boolean;
  set?: string[];
  json?: boolean;
}

/** `run` flags that set a config key or mode: a recipe composes its own configs, so none applies. */
const NOT_WITH_RECIPE: Record<string, string> = {
  config: '-c', rounds: '--rounds', rejudge: '--rejudge', control: '--control', k: '--k',
  temperature: '--temperature', concurrency: '--concurrency', name: '--name', dryRun: '--dry-run',
};

/**
 * `starloop run --recipe NAME`: a built-in experiment of several runs under --out (default
 * runs/NAME), its settings from `--set key=value`; prints the experiment's report, or with --json
 * its numbers (`compare.json`).
 */
export async function runRecipe(flags: RecipeFlags): Promise<void> {
  const name = flags.recipe!;
  const recipe = recipeNamed(name);
  const given = flags as unknown as Record<string, unknown>;
  const clash = Object.keys(NOT_WITH_RECIPE).find((flag) => given[flag] !== undefined);
  if (clash) {
    const settings = Object.keys(recipe.settings.shape).join(', ');
    throw new ConfigError(`${NOT_WITH_RECIPE[clash]} does not apply to --recipe, which composes its own configs; its settings (${settings}) are given with --set key=value`);
  }
  const pairs = parseSetOptions(flags.set ?? []);
  const settings = recipeSettings(name, recipe, pairs);
  const interrupt = interruptSignal();
  const events = eventOutput(flags);
  try {
    const outcome = await recipe.run({
      outDir: resolve(flags.out ?? `runs/${name}`),
      resume: flags.resume,
      ...(flags.set?.length || !flags.resume ? { settings } : {}),
      registry: (config) => loadVerifierRegistry(config),
      onEvent: events.emit,
      signal: interrupt.signal,
    });
    const { text, ...numbers } = outcome;
    if (flags.json) writeJson(numbers);
    else process.stdout.write(`\n${text}experiment directory: ${outcome.outDir}\n`);
  } finally {
    events.close();
    interrupt.dispose();
  }
}
