import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.ts';

export interface CodeBlock {
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** The fenced code blocks of README.md, indented ones (inside list items) included. */
export function readmeBlocks(readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(indent));
    blocks.push({ lang: open[2], text: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The one README block of `lang` whose text contains `marker`: the test fails if there is none, or several. */
export function readmeBlock(lang: string, marker: string): string {
  const found = readmeBlocks().filter((block) => block.lang === lang && block.text.includes(marker));
  if (found.length !== 1) throw new Error(`README.md has ${found.length} ${lang} blocks containing '${marker}', expected 1`);
  return found[0].text;
}
