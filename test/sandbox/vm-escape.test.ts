import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode } from './hostile.ts';

const SECRET = `vm-escape-secret-${process.pid}-${Date.now()}`;
const secretFile = path.join(mkdtempSync(path.join(tmpdir(), 'starloop-vm-')), 'secret.txt');
writeFileSync(secretFile, SECRET);
process.env.OPENAI_API_KEY = SECRET;
afterAll(() => rmSync(path.dirname(secretFile), { recursive: true, force: true }));

/**
 * The classic vm/vm2 escapes reach the host realm's `process` (through a host object's
 * constructor chain, or host CallSite objects from Error.prepareStackTrace). Here the "host" is
 * the sandboxed harness process, so a successful escape must still find nothing to take.
 */
const ESCAPES: Record<string, string> = {
  'constructor chain': "const hostProcess = console.log.constructor('return process')();",
  'prepareStackTrace call sites': [
    'let hostProcess;',
    'Error.prepareStackTrace = (error, sites) => {',
    '  for (const site of sites) { const fn = site.getFunction?.(); if (fn) { try { hostProcess = fn.constructor("return process")(); } catch {} } }',
    '  return "";',
    '};',
    'new Error().stack;',
    'Error.prepareStackTrace = undefined;',
    "hostProcess ??= this.constructor.constructor('return process')();",
  ].join('\n'),
};

describe.each(MODES)('JavaScript vm escapes (%s)', (mode) => {
  it.each(Object.entries(ESCAPES))('via %s reach a process that holds no secrets and cannot fake a pass', async (_name, escape) => {
    await expectBubblewrap();
    const code = [
      escape,
      "if (typeof hostProcess?.pid === 'number') console.log('ESCAPED to the harness process');",
      'const loot = [];',
      "const req = hostProcess.mainModule?.require ?? hostProcess.getBuiltinModule?.bind(hostProcess) ?? require;",
      "const { execSync } = req('child_process');",
      `try { loot.push(req('fs').readFileSync(${JSON.stringify(secretFile)}, 'utf8')); } catch {}`,
      "try { loot.push(execSync('cat /etc/passwd 2>&1; env', { encoding: 'utf8' })); } catch {}",
      'loot.push(JSON.stringify(hostProcess.env));',
      'console.log(loot.join("\\n"));',
      'function answer() { hostProcess.exit(0); }',
    ].join('\n');
    const outcome = await runNode(mode, code, 'assert.equal(answer(), 42);');
    expect(outcome.stdout, 'the escape itself must work, or this test proves nothing').toContain('ESCAPED');
    expect(outcome.stdout + outcome.stderr).not.toContain(SECRET);
    expect(outcome.stdout).not.toContain('root:x:0:0');
    expect(outcome.passed).toBe(false);
    await expectNextTaskUnaffected(mode);
  });
});
