import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { generatedDocs } from '../../scripts/docs.ts';
import { repoRoot } from '../e2e/cli.ts';

test.each(Object.entries(generatedDocs()))('%s matches the code it is generated from (npm run docs rewrites it)', async (path, expected) => {
  const onDisk = await readFile(join(repoRoot, path), 'utf8').catch(() => '(missing)');
  expect(onDisk, `${path} is stale: run npm run docs`).toBe(expected);
});
