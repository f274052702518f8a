import { createHash } from 'node:crypto';

export type CodeLanguage = 'python' | 'javascript';

const LANGUAGE_TAGS: Record<CodeLanguage, string[]> = {
  python: ['python', 'python3', 'py', 'py3'],
  javascript: ['javascript', 'js', 'node', 'nodejs', 'mjs', 'cjs'],
};

interface FencedBlock {
  tag: string;
  body: string;
}

/** Fenced blocks in order; an unclosed last fence (a truncated generation) runs to the end. */
function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const fence = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n/gm;
  let match: RegExpExecArray | null;
  while ((match = fence.exec(text)) !== null) {
    const [opening, marker, tag] = match;
    const bodyStart = match.index + opening.length;
    const closing = new RegExp(`^[ \\t]*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`, 'm');
    const rest = text.slice(bodyStart);
    const end = closing.exec(rest);
    blocks.push({ tag: tag.toLowerCase(), body: end ? rest.slice(0, end.index) : rest });
    if (!end) break;
    fence.lastIndex = bodyStart + end.index + end[0].length;
  }
  return blocks;
}

/** The longest block, the later one on ties (models tend to end with their final version). */
function longest(blocks: FencedBlock[]): FencedBlock | undefined {
  let best: FencedBlock | undefined;
  for (const block of blocks) if (!best || block.body.trim().length >= best.body.trim().length) best = block;
  return best;
}

/**
 * The program in a model's answer: the longest block fenced with the language's tag, else the
 * longest fenced block of any kind, else the whole text when it has no fences. Empty means the
 * answer holds no code.
 */
export function extractCode(text: string, language: CodeLanguage): string {
  const blocks = fencedBlocks(text.replace(/\r\n?/g, '\n'));
  const tagged = blocks.filter((block) => LANGUAGE_TAGS[language].includes(block.tag));
  const chosen = longest(tagged) ?? longest(blocks);
  return normalizeCode(chosen ? chosen.body : text);
}

/** Line endings, trailing spaces and surrounding blank lines do not change what a program does. */
export function normalizeCode(code: string): string {
  return code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** A short content hash of normalized code, so majority voting groups identical programs. */
export function codeHash(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex').slice(0, 16);
}
