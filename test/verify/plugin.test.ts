import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VerifierError } from '../../src/errors.ts';
import { loadVerifierPlugin } from '../../src/verify/plugin.ts';
import { judge } from './judge.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/verifiers');

async function loadError(path: string): Promise<VerifierError> {
  const error = await loadVerifierPlugin(path, fixtures).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerifierError);
  expect((error as VerifierError).code).toBe('VERIFIER_PLUGIN');
  return error as VerifierError;
}

describe('loadVerifierPlugin', () => {
  it('loads a TypeScript default export relative to the base directory and runs it', async () => {
    const verifier = await loadVerifierPlugin('./plugin-default.ts', fixtures);
    expect(verifier.id).toBe('reversed');
    expect(await judge(verifier, 'abc', ' cba ')).toMatchObject({ status: 'correct', extracted: 'abc' });
  });

  it('loads a TypeScript plug-in from a project without "type": "module" (tsx compiles it to CommonJS)', async () => {
    const verifier = await loadVerifierPlugin('./commonjs-project/plugin.ts', fixtures);
    expect(verifier.id).toBe('reversed-cjs');
    expect(await judge(verifier, 'abc', 'cba')).toMatchObject({ status: 'correct' });
  });

  it('loads a JavaScript module by its single verifier-shaped named export', async () => {
    const verifier = await loadVerifierPlugin(resolve(fixtures, 'plugin-named.mjs'), '/');
    expect(verifier.id).toBe('upper-match');
    expect((await judge(verifier, 'HI', 'hi')).status).toBe('correct');
  });

  it('explains how to export a verifier when the module has none', async () => {
    expect((await loadError('plugin-none.ts')).message).toMatch(/exports no verifier; write `export default defineVerifier/);
  });

  it('names every missing or malformed field', async () => {
    const { message } = await loadError('plugin-bad-shape.ts');
    expect(message).toMatch(/export 'default' is not a valid verifier definition/);
    expect(message).toMatch(/^id: must be lowercase/m);
    expect(message).toMatch(/^version:/m);
    expect(message).toMatch(/^options: must be a zod schema/m);
  });

  it('refuses to guess between several named verifiers', async () => {
    expect((await loadError('plugin-two.ts')).message).toMatch(/several verifiers \(first, second\)/);
  });

  it('names the file when it is missing or fails to load', async () => {
    expect((await loadError('nope.ts')).message).toMatch(/nope\.ts does not exist/);
    expect((await loadError('plugin-throws.ts')).message).toMatch(/plugin-throws\.ts failed to load: plug-in needs a periodic table file/);
  });
});
