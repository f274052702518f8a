import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.ts';
import { formatConfigIssues } from './config-issues.ts';
import { RunConfig } from './schema.ts';
import { checkCombinations } from './combinations.ts';
import { checkTemplates } from './templates.ts';

export interface LoadedConfig {
  config: RunConfig;
  /** The file it came from; undefined for the built-in default. */
  path?: string;
  /** Directory relative paths in the config were resolved against (the working directory). */
  baseDir: string;
}

/** Reads a YAML or JSON config file as a plain object; errors name the file. */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`);
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path}: cannot parse: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${path}: expected a mapping of keys at the top level`);
  }
  return value as Record<string, unknown>;
}

/**
 * Parses a raw config (after command-line overrides) and makes its relative paths absolute against
 * `baseDir`, so the stored config means the same thing when a run is resumed from elsewhere.
 */
export function resolveConfig(raw: unknown, baseDir: string, source = 'config'): RunConfig {
  const parsed = RunConfig.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${source}: invalid config:\n${indent(formatConfigIssues(parsed.error, raw))}`);
  const config = parsed.data;
  checkTemplates(config, source);
  checkCombinations(config, source);
  const at = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  config.problems.train = at(config.problems.train);
  if (config.problems.eval) config.problems.eval = at(config.problems.eval);
  config.verifiers = config.verifiers.map(at);
  if (config.policy.type === 'embedded' && config.policy.checkpoint) {
    config.policy.checkpoint = at(config.policy.checkpoint);
    // Checked here, before a run directory is made: the sampler would only find out at its first batch.
    if (!statSync(config.policy.checkpoint, { throwIfNoEntry: false })?.isFile()) {
      throw new ConfigError(`${source}: policy.checkpoint ${config.policy.checkpoint} is not a file (relative paths are resolved against ${baseDir})`);
    }
  }
  return config;
}

/** Reads a config file and applies override layers (dotted keys), each later layer winning. */
export async function loadConfig(path: string, ...layers: Record<string, unknown>[]): Promise<LoadedConfig> {
  const raw = await readConfigFile(path);
  const merged = layers.reduce(applyOverrides, raw);
  // Relative paths mean what they mean in the shell the user typed the command in.
  const baseDir = process.cwd();
  return { config: resolveConfig(merged, baseDir, path), path: resolve(path), baseDir };
}

/** Sets dotted keys (`sampling.k`) on a copy of `raw`; command-line flags win over the file. */
export function applyOverrides(raw: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(raw);
  for (const [dotted, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const keys = dotted.split('.');
    let node: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      if (next === undefined || next === null) node[key] = {};
      else if (typeof next !== 'object' || Array.isArray(next)) {
        throw new ConfigError(`cannot set '${dotted}': '${key}' is not a mapping`);
      }
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  return copy;
}

/** Parses `key=value` pairs from `--set`; values are read as YAML scalars (numbers, booleans, strings). */
export function parseSetOptions(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new ConfigError(`--set expects key=value (e.g. --set sampling.k=16), got '${pair}'`);
    out[pair.slice(0, at).trim()] = parseYaml(pair.slice(at + 1));
  }
  return out;
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
