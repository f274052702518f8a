import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { IMITATION_CEILING, ImitationCeilingSettings, runImitationCeiling } from './imitation-ceiling.ts';
import type { RecipeOptions } from './recipe-dir.ts';

/** What a finished experiment leaves for the terminal: its report and its numbers. */
export interface RecipeOutcome {
  outDir: string;
  text: string;
}

export interface Recipe {
  /** Its settings (the experiment's size): the keys `--set` may give. */
  settings: z.ZodObject;
  run(options: RecipeOptions<Record<string, unknown>>): Promise<RecipeOutcome>;
}

/** The built-in experiments `starloop run --recipe` knows, by name. */
const RECIPES: Record<string, Recipe> = {
  [IMITATION_CEILING]: { settings: ImitationCeilingSettings, run: runImitationCeiling },
};

export const RECIPE_NAMES = Object.keys(RECIPES);

/** The experiment called `name`; an unknown name is a ConfigError listing the known ones. */
export function recipeNamed(name: string): Recipe {
  const recipe = Object.hasOwn(RECIPES, name) ? RECIPES[name] : undefined;
  if (!recipe) throw new ConfigError(`--recipe ${name}: no such recipe.${didYouMean(name, RECIPE_NAMES)} Known: ${RECIPE_NAMES.join(', ')}.`);
  return recipe;
}

/** `--set` pairs as a recipe's settings: an unknown key is a ConfigError naming the near ones and all known. */
export function recipeSettings(name: string, recipe: Recipe, pairs: Record<string, unknown>): Record<string, unknown> {
  const known = Object.keys(recipe.settings.shape);
  for (const key of Object.keys(pairs)) {
    if (!known.includes(key)) throw new ConfigError(`--set ${key}: no such ${name} setting.${didYouMean(key, known)} Known: ${known.join(', ')}.`);
  }
  return pairs;
}
