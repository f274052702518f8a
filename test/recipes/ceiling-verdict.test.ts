import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparisonEntry } from '../../src/report/compare.ts';
import { ceilingVerdict } from '../../src/recipes/ceiling-verdict.ts';

/** 200 problems, the first `solved` of them solved (one sample each). */
const solving = (label: string, solved: number, offset = 0): ComparisonEntry => ({
  label,
  problems: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, (i + offset) % 200 < solved ? 1 : 0])),
});
const labels = { teacher: 'teacher r1', imitation: 'imitation r2', filtered: 'filtered r2', star: 'star r2' };

function verdictOf(imitation: ComparisonEntry, filtered: ComparisonEntry, star: ComparisonEntry) {
  return ceilingVerdict(compareRuns([solving('teacher r1', 100), imitation, filtered, star]), labels);
}

describe('ceilingVerdict', () => {
  it('shows the ceiling when imitation is within noise of the teacher and both other arms are real gains', () => {
    const verdict = verdictOf(solving('imitation r2', 102), solving('filtered r2', 150), solving('star r2', 160));
    expect(verdict.ceilingShown).toBe(true);
    expect(verdict.lines[0]).toMatch(/^A imitation .*: not significantly different from the teacher by its paired interval \(at most \+\d+\.\d pp above it\): \+1\.0 pp, 95% CI \[/);
    expect(verdict.lines[1]).toMatch(/^B filtered .*: above the teacher: \+25\.0 pp, 95% CI \[\+\d/);
    expect(verdict.lines[2]).toMatch(/^C STaR .*: above the teacher: \+30\.0 pp/);
    expect(verdict.lines.at(-1)).toBe('verdict: the imitation ceiling is shown: imitation stops at the teacher (not significantly different from it), while filtered distillation and STaR both pass the teacher.');
  });

  it('says imitation ends below the teacher when that is a real loss', () => {
    const verdict = verdictOf(solving('imitation r2', 60), solving('filtered r2', 150), solving('star r2', 160));
    expect(verdict.ceilingShown).toBe(true);
    expect(verdict.lines[0]).toMatch(/: below the teacher: -20\.0 pp/);
    expect(verdict.lines.at(-1)).toMatch(/imitation ends below the teacher, while/);
  });

  it('does not claim the ceiling when imitation passes the teacher', () => {
    const verdict = verdictOf(solving('imitation r2', 150), solving('filtered r2', 150), solving('star r2', 160));
    expect(verdict.ceilingShown).toBe(false);
    expect(verdict.lines.at(-1)).toBe('verdict: the imitation ceiling is not shown here: imitation passed the teacher.');
  });

  it('says "not significant" when an arm that should pass the teacher is within noise, and never calls it a pass', () => {
    // Same count, other problems: 5 gained and 3 lost is noise, not a gain.
    const verdict = verdictOf(solving('imitation r2', 100), solving('filtered r2', 102, 3), solving('star r2', 160));
    expect(verdict.ceilingShown).toBe(false);
    expect(verdict.lines[1]).toMatch(/^B filtered .*: not significantly different from the teacher/);
    expect(verdict.lines.at(-1)).toBe('verdict: the imitation ceiling is not shown here: filtered distillation did not pass the teacher (not significant).');
  });

  it('names every failed condition at once', () => {
    const verdict = verdictOf(solving('imitation r2', 150), solving('filtered r2', 60), solving('star r2', 100, 7));
    expect(verdict.lines.at(-1)).toBe(
      'verdict: the imitation ceiling is not shown here: imitation passed the teacher; filtered distillation did not pass the teacher (significantly below it); STaR did not pass the teacher (not significant).',
    );
  });
});
