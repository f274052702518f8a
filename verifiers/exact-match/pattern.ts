/**
 * User `pattern` regexes, run by RE2 (re2js) rather than the JS engine: a user's pattern meets
 * model output, and a backtracking engine takes exponential time on patterns such as `^(a|aa)+$`,
 * in a synchronous call no time limit can interrupt. RE2 matches in time linear in the text; it
 * has no lookaround and no backreferences, which is the price of that guarantee.
 */
import { RE2JS } from 're2js';

/** The flags `patternFlags` may hold; `u` is accepted and changes nothing, as RE2 always reads code points. */
export const PATTERN_FLAGS = /^[imsuy]*$/;

const ENGINE_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

const compiled = new Map<string, RE2JS>();
const MAX_CACHED = 64;

function compile(source: string, flags: string): RE2JS {
  const key = `${flags}/${source}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    const bits = [...flags].reduce((all, flag) => all | (ENGINE_FLAGS[flag] ?? 0), 0);
    pattern = RE2JS.compile(source, bits);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, pattern);
  }
  return pattern;
}

/** Why `source` is not a pattern starloop can run, or undefined when it is. */
export function patternProblem(source: string): string | undefined {
  try {
    compile(source, '');
    return undefined;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return `not a valid regular expression (RE2 syntax: no lookaround or backreferences; \\x{e9} for a code point): ${detail}`;
  }
}

/**
 * The capture group 1 of the last (or first) match of `pattern`, or the whole match without
 * groups. With flag `y` matches must follow one another from the start of the text, as a sticky
 * JS regex's successive matches do.
 */
export function extractByPattern(text: string, pattern: string, flags: string, which: 'first' | 'last'): string | undefined {
  const regex = compile(pattern, flags);
  const sticky = flags.includes('y');
  const matcher = regex.matcher(text);
  let chosen: string | undefined;
  let position = 0;
  // Leftmost-first: a match that can start at `position` is the one find(position) returns.
  while (position <= text.length && matcher.find(position)) {
    if (sticky && matcher.start() !== position) break;
    chosen = regex.groupCount() > 0 ? (matcher.group(1) ?? '') : matcher.group(0)!;
    if (which === 'first') break;
    position = matcher.end() === matcher.start() ? matcher.end() + 1 : matcher.end();
  }
  return chosen;
}
