/** The golds the near-miss suite mutates: the rule tables' own, and MATH-500's when present. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ruleTables } from '../cases/index.ts';

export function ruleTableGolds(): string[] {
  return [...new Set(Object.values(ruleTables).flatMap((cases) => cases.map(([gold]) => gold)))];
}

/** `../shared/datasets` beside the checkout, or where STARLOOP_DATASETS points. */
export function datasetsDirectory(): string {
  return process.env.STARLOOP_DATASETS ?? resolve(import.meta.dirname, '../../../../../shared/datasets');
}

/** MATH-500's gold answers, or undefined when the shared datasets are not on this machine. */
export function math500Golds(directory = datasetsDirectory()): string[] | undefined {
  const file = resolve(directory, 'math-test.jsonl');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { answer: string }).answer);
}
