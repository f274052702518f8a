import { defaultRunConfigInput } from '../config/default-config.ts';
import { assertKnownConfigKey } from '../config/keys.ts';
import { applyOverrides, loadConfig, parseSetOptions, resolveConfig, type LoadedConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { loadVerifierRegistry } from '../library.ts';
import type { VerifierRegistry } from '../verify/registry.ts';

export interface ConfigFlags {
  config?: string;
  set?: string[];
}

/** Each command's own flags (by commander attribute name) and the config key each one sets. */
export const FLAG_KEYS = {
  run: { rounds: 'rounds', k: 'sampling.k', temperature: 'sampling.temperature', concurrency: 'sampling.concurrency', name: 'name' },
  sample: { k: 'sampling.k' },
  eval: { k: 'eval.k' },
} as const satisfies Record<string, Record<string, string>>;

/**
 * The run config: the file given with -c (or the built-in offline default), then `--set` pairs,
 * then the command's own flags, each later layer winning. A layer sets only the keys it was
 * given: a flag left out does not undo a `--set` of its key.
 */
export async function loadRunConfig<Flags extends ConfigFlags>(flags: Flags, flagKeys: { [F in keyof Flags]?: string } = {}): Promise<LoadedConfig> {
  const set = parseSetOptions(flags.set ?? []);
  for (const key of Object.keys(set)) assertKnownConfigKey(key);
  const given = Object.entries(flagKeys).filter(([flag]) => flags[flag as keyof Flags] !== undefined);
  const dedicated = Object.fromEntries(given.map(([flag, key]) => [key as string, flags[flag as keyof Flags]]));
  if (flags.config) return loadConfig(flags.config, set, dedicated);
  const raw = applyOverrides(applyOverrides(defaultRunConfigInput() as Record<string, unknown>, set), dedicated);
  return { config: resolveConfig(raw, process.cwd(), 'built-in default config'), baseDir: process.cwd() };
}

/** Built-in verifiers plus the config's plug-ins. */
export function loadRegistry(config: RunConfig): Promise<VerifierRegistry> {
  return loadVerifierRegistry(config);
}

/** Aborts on the first Ctrl-C or SIGTERM (stored work stays stored); a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupting after what is in flight… (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
