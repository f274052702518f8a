/**
 * The content of the last `\boxed{...}` (or `\fbox{...}`) in a LaTeX solution, matching braces so
 * nested groups like `\boxed{\frac{1}{2}}` come back whole. Undefined when there is none or the
 * last one is never closed.
 */
export function lastBoxed(text: string): string | undefined {
  const starts = [...text.matchAll(/\\(?:boxed|fbox)\s*\{/g)];
  const last = starts.at(-1);
  if (!last) return undefined;
  const open = last.index + last[0].length;
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++; // an escaped brace (`\{`) is content, not structure
      continue;
    }
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return text.slice(open, i).trim();
  }
  return undefined;
}
