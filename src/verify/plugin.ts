import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { VerifierError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';
import type { AnyVerifier } from './define.ts';
import { startPluginHost } from './plugin-host.ts';

const isFunction = (value: unknown) => typeof value === 'function';

/**
 * The shape a plug-in's export must have. `options` is checked by duck type, not `instanceof`,
 * because a plug-in may resolve its own copy of zod.
 */
const VerifierShape = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'"),
  description: z.string().min(1),
  version: z.string().min(1),
  options: z.custom<z.ZodType>(
    (value) => typeof value === 'object' && value !== null && isFunction((value as { safeParse?: unknown }).safeParse),
    { message: 'must be a zod schema (e.g. z.object({...}))' },
  ),
  verify: z.custom<AnyVerifier['verify']>(isFunction, { message: 'must be a function (problem, candidate, options, context) => verdict' }),
  timeoutMs: z.number().int().positive().optional(),
  dispose: z.custom<() => Promise<void>>(isFunction, { message: 'must be a function' }).optional(),
});

function looksLikeVerifier(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'verify' in value && 'id' in value;
}

/**
 * Loads a user's verifier module (TS or JS) named in the config. It must export one
 * `defineVerifier(...)`: as the default export, or as its only verifier-shaped named export.
 * The module runs in a worker thread of its own (see plugin-host.ts): a plug-in that hangs
 * synchronously or ends its thread gives `error` verdicts and cannot stop starloop.
 */
export async function loadVerifierPlugin(path: string, baseDir: string): Promise<AnyVerifier> {
  const file = resolve(baseDir, path);
  if (!existsSync(file)) throw new VerifierError('VERIFIER_PLUGIN', `verifier plug-in ${file} does not exist (from '${path}' relative to ${baseDir})`);
  return startPluginHost(file);
}

/** Imports a plug-in module and checks its export; runs inside the plug-in's worker thread. */
export async function importVerifier(file: string): Promise<AnyVerifier> {
  const url = pathToFileURL(file).href;
  const load = TYPESCRIPT.test(file) ? await typeScriptImporter(file) : (specifier: string) => import(specifier);
  let module: Record<string, unknown>;
  try {
    module = commonJsExports((await load(url)) as Record<string, unknown>);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new VerifierError('VERIFIER_PLUGIN', `verifier plug-in ${file} failed to load: ${message}`, { cause: error });
  }

  const exported = pickExport(module, file);
  const parsed = VerifierShape.safeParse(exported.value);
  if (!parsed.success) {
    throw new VerifierError(
      'VERIFIER_PLUGIN',
      `verifier plug-in ${file}: export '${exported.name}' is not a valid verifier definition:\n${formatIssues(parsed.error)}`,
    );
  }
  return exported.value as AnyVerifier;
}

const TYPESCRIPT = /\.[cm]?ts$/;
type Importer = (specifier: string) => Promise<unknown>;
let typeScriptImport: Promise<Importer> | undefined;

/**
 * Node cannot import TypeScript by itself, and tsx is a dev dependency of starloop, so a .ts
 * plug-in needs the user's tsx: installed where starloop is (the project, or globally). tsx's
 * scoped `tsImport`, not its global `register()`: in a project without `"type": "module"` tsx
 * compiles a .ts file to CommonJS, which the global ESM hook then loads through require() in a
 * cycle that Node 20 refuses.
 */
function typeScriptImporter(plugin: string): Promise<Importer> {
  typeScriptImport ??= import('tsx/esm/api').then(
    (api) => (specifier: string) => api.tsImport(specifier, specifier),
    (error: unknown) => {
      typeScriptImport = undefined;
      throw new VerifierError(
        'VERIFIER_PLUGIN',
        `verifier plug-in ${plugin} is TypeScript, which needs tsx to load, and tsx is not installed: install it where starloop is (npm i -D tsx, or npm i -g tsx for a global starloop) or compile the plug-in to JavaScript`,
        { cause: error },
      );
    },
  );
  return typeScriptImport;
}

/** A .ts file tsx compiled to CommonJS arrives as `{ default: module.exports }`: its exports are inside. */
function commonJsExports(module: Record<string, unknown>): Record<string, unknown> {
  const inner = module.default as Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' && inner.__esModule === true ? inner : module;
}

function pickExport(module: Record<string, unknown>, file: string): { name: string; value: unknown } {
  if (module.default !== undefined) return { name: 'default', value: module.default };
  const named = Object.entries(module).filter(([, value]) => looksLikeVerifier(value));
  if (named.length === 1) return { name: named[0][0], value: named[0][1] };
  if (named.length > 1) {
    throw new VerifierError(
      'VERIFIER_PLUGIN',
      `verifier plug-in ${file} exports several verifiers (${named.map(([name]) => name).join(', ')}); make the one to use the default export`,
    );
  }
  throw new VerifierError(
    'VERIFIER_PLUGIN',
    `verifier plug-in ${file} exports no verifier; write \`export default defineVerifier({ id, description, version, options, verify })\``,
  );
}
