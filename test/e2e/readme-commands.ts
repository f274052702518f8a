import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.ts';
import { readmeBlocks } from './readme-blocks.ts';

/** A command as the README shows it: comment dropped, spaces collapsed. */
export interface ReadmeCommand {
  command: string;
  line: number;
}

const COMMAND = /^(npx starloop|starloop|npm run) \S/;
/** A synopsis (`starloop eval -c FILE [--model ID]`), not a command to type: it names placeholders. */
const SYNOPSIS = /[[\]…|]|\b[A-Z]{1,}\b(?![-.])/;

/**
 * Every `starloop`, `npx starloop` and `npm run` command in README.md: the lines of its fenced
 * shell blocks, and inline code that is a whole command (a table's synopses are not).
 */
export function readmeCommands(readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')): ReadmeCommand[] {
  const found: ReadmeCommand[] = [];
  const add = (text: string, line: number) => {
    for (const part of text.split('&&').map((p) => p.replace(/\s+#.*$/, '').replace(/\s+/g, ' ').trim())) {
      if (COMMAND.test(part)) found.push({ command: part, line });
    }
  };
  const blocks = readmeBlocks(readme);
  for (const block of blocks.filter((b) => b.lang === 'sh' || b.lang === 'bash')) {
    block.text.split('\n').forEach((text, i) => add(text, block.line + 1 + i));
  }
  const lines = readme.split('\n');
  const inFence = new Set(blocks.flatMap((b) => Array.from({ length: b.text.split('\n').length + 1 }, (_, i) => b.line + i)));
  lines.forEach((text, i) => {
    if (inFence.has(i + 1) || /^\s*```/.test(text)) return;
    for (const match of text.matchAll(/`([^`]+)`/g)) {
      if (!SYNOPSIS.test(match[1])) add(match[1], i + 1);
    }
  });
  return found;
}
