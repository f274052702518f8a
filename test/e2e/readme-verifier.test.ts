import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot, runCli, tempDir } from './cli.ts';
import { readmeBlock } from './readme-blocks.ts';

// The README's "Adding a domain verifier" plug-in, saved as ./chem-formula.ts, and its check command.
test('npx starloop verifiers test ./chem-formula.ts --cases chem-cases.jsonl passes on the README plug-in', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'chem-formula.ts'), readmeBlock('ts', "id: 'chem-formula'"));
  // What `npm i -D starloop zod tsx` gives an ES module project.
  await writeFile(join(dir, 'package.json'), '{"type": "module"}\n');
  await mkdir(join(dir, 'node_modules'));
  for (const [name, target] of [['starloop', repoRoot], ['zod', join(repoRoot, 'node_modules/zod')]]) await symlink(target, join(dir, 'node_modules', name));
  const problem = { id: 'ethanol', prompt: 'The molecular formula of ethanol?', answer: 'C2H6O' };
  const cases = [
    { problem, candidate: 'The answer is H6C2O', expected: 'correct' },
    { problem, candidate: 'The answer is C2H4O', expected: 'incorrect' },
    { problem, candidate: 'ethanol, of course', expected: 'unparseable' },
  ];
  await writeFile(join(dir, 'chem-cases.jsonl'), cases.map((c) => JSON.stringify(c) + '\n').join(''));
  const command = readmeBlock('sh', 'chem-formula.ts').trim();
  expect(command).toBe('npx starloop verifiers test ./chem-formula.ts --cases chem-cases.jsonl');
  const result = await runCli(command.split(' ').slice(2), { cwd: dir });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/golden cases .*: 3\/3 passed/);
});
