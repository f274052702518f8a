import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { RunConfig } from '../config/schema.ts';
import { AbortedError, ConfigError, RunStoreError } from '../errors.ts';
import type { EventSink } from '../pipeline/events.ts';
import { runLoop } from '../pipeline/run-loop.ts';
import { childSignal } from '../openai/signal.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { writeJsonAtomic } from '../store/atomic-write.ts';
import { runLayout } from '../store/layout.ts';
import { readJsonFile } from '../store/read-json.ts';
import { describeSettingChanges, settingChanges } from '../store/settings-file.ts';
import type { VerifierRegistry } from '../verify/registry.ts';

export interface RecipeOptions<Settings> {
  /** The experiment's directory: one run directory per arm, and the comparison. */
  outDir: string;
  /** Continue an interrupted experiment: finished arms are read back, the others resumed or started. */
  resume?: boolean;
  /** The experiment's size; on resume, the stored settings are used and these must match them. */
  settings?: Settings;
  /** Verifiers for one arm (each run disposes of its registry when it ends). */
  registry: (config: RunConfig) => Promise<VerifierRegistry>;
  onEvent?: EventSink;
  signal?: AbortSignal;
}

/** `recipe.json`: which experiment a directory holds and at what size, so `--resume` needs nothing else. */
const RecipeFile = z.object({ recipe: z.string(), settings: z.record(z.string(), z.unknown()) }).strict();

const recipeFile = (outDir: string) => join(outDir, 'recipe.json');

/**
 * Opens an experiment directory: a new one must be empty (its settings are written first), a
 * resumed one must hold this recipe (its stored settings win). Says, per arm, whether there is a
 * run to resume.
 */
export async function startRecipe<Schema extends z.ZodType>(
  recipe: string,
  schema: Schema,
  options: RecipeOptions<z.input<Schema>>,
): Promise<{ outDir: string; settings: z.output<Schema>; runArm: (arm: string, config: RunConfig) => Promise<string> }> {
  const outDir = resolve(options.outDir);
  const path = recipeFile(outDir);
  let given: unknown = options.settings ?? {};
  if (options.resume) {
    if (!existsSync(path)) throw new RunStoreError('RUN_NOT_FOUND', `nothing to resume: ${outDir} holds no experiment (no recipe.json); check --out, or drop --resume to start one there`);
    const stored = await readJsonFile(path, RecipeFile, 'experiment settings');
    if (stored.recipe !== recipe) throw new RunStoreError('RUN_MISMATCH', `${outDir} holds the ${stored.recipe} experiment, not ${recipe}`);
    // Only what was given now is compared: a setting left out keeps its stored value, not the default.
    const changes = options.settings
      ? settingChanges(parseSettings(schema, stored.settings, path) as Record<string, unknown>, parseSettings(schema, { ...stored.settings, ...options.settings }, recipe) as Record<string, unknown>)
      : [];
    if (changes.length > 0) {
      throw new ConfigError(`${outDir} was started with other ${recipe} settings (${describeSettingChanges(changes)}); resume it as it was, or start a new experiment elsewhere`);
    }
    given = stored.settings;
  } else {
    const entries = existsSync(outDir) ? readdirSync(outDir) : [];
    if (entries.length > 0) {
      const hint = entries.includes('recipe.json') ? 'add --resume to continue it, or choose another --out' : 'choose a new or empty directory for --out';
      throw new RunStoreError('RUN_EXISTS', `${outDir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); ${hint}`);
    }
  }
  const settings = parseSettings(schema, given, recipe);
  if (!options.resume) {
    await mkdir(outDir, { recursive: true });
    await writeJsonAtomic(path, { recipe, settings });
  }
  return { outDir, settings, runArm: (arm, config) => runArm({ ...options, outDir }, recipe, arm, config) };
}

function parseSettings<Schema extends z.ZodType>(schema: Schema, value: unknown, source: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${source}: invalid settings: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * One arm: an ordinary run in `<outDir>/<arm>`, through the one loop every run goes through; a
 * run already there is resumed (a finished one is only read back). An interrupt says how to
 * continue the experiment, not the single run. Returns the arm's run directory.
 */
async function runArm<Settings>(options: RecipeOptions<Settings>, recipe: string, arm: string, config: RunConfig): Promise<string> {
  const runDir = join(options.outDir, arm);
  const resume = existsSync(runLayout(runDir).manifest);
  options.onEvent?.({ type: 'log', message: `${recipe}: arm ${arm}: ${resume ? 'resuming' : 'starting'} ${runDir}` });
  // Each arm gets a signal of its own: the listeners a run leaves on its signal stay with it.
  const signal = childSignal(options.signal);
  try {
    await runLoop({ config, runDir, registry: await options.registry(config), resume, onEvent: options.onEvent, signal: signal.signal });
  } catch (error) {
    if (error instanceof AbortedError) {
      throw new AbortedError(`interrupted in arm ${arm}; continue the experiment with: starloop run --recipe ${recipe} --out ${options.outDir} --resume`, { cause: error });
    }
    throw error;
  } finally {
    signal.dispose();
  }
  return runDir;
}
