const OPENER = /\\(?:boxed|fbox)\s*\{/g;

/** Index just past the brace that closes the group opened before `open`, or -1 when it is never closed. */
function closingBrace(text: string, open: number): number {
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++; // an escaped brace (`\{`) is content, not structure
      continue;
    }
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The contents of every `\boxed{...}` / `\fbox{...}` in a LaTeX text, in order, matching braces so
 * nested groups like `\boxed{\frac{1}{2}}` come back whole. A box that is never closed ends the list.
 */
export function boxedContents(text: string): string[] {
  const found: string[] = [];
  const opener = new RegExp(OPENER.source, 'g');
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    const close = closingBrace(text, opener.lastIndex);
    // Every later opener lies inside this unclosed group; scanning on would cost quadratic time.
    if (close < 0) break;
    found.push(text.slice(opener.lastIndex, close));
    opener.lastIndex = close + 1;
  }
  return found;
}

/** The content of the last `\boxed{...}`, trimmed; undefined when there is none or the last one is never closed. */
export function lastBoxed(text: string): string | undefined {
  const last = [...text.matchAll(new RegExp(OPENER.source, 'g'))].at(-1);
  if (!last) return undefined;
  const open = last.index + last[0].length;
  const close = closingBrace(text, open);
  return close < 0 ? undefined : text.slice(open, close).trim();
}
