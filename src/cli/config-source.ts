import { defaultRunConfigInput } from '../config/default-config.ts';
import { applyOverrides, loadConfig, parseSetOptions, resolveConfig, type LoadedConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { loadVerifierRegistry } from '../library.ts';
import type { VerifierRegistry } from '../verify/registry.ts';

export interface ConfigFlags {
  config?: string;
  set?: string[];
}

/**
 * The run config: the file given with -c (or the built-in offline default), then `--set` pairs,
 * then the dedicated flags, each later source winning.
 */
export async function loadRunConfig(flags: ConfigFlags, dedicated: Record<string, unknown> = {}): Promise<LoadedConfig> {
  const overrides = { ...parseSetOptions(flags.set ?? []), ...dedicated };
  if (flags.config) return loadConfig(flags.config, overrides);
  const raw = applyOverrides(defaultRunConfigInput() as Record<string, unknown>, overrides);
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
