import type { RunConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { type ContaminationMatch, findContaminatedDatasetLines, findContaminatedProblems } from '../problems/contamination/guard.ts';
import type { ContaminatedProblem } from '../schema/manifest.ts';
import type { Problem } from '../schema/problem.ts';
import type { Dataset } from './select.ts';

const SHOWN = 10;

export const describeMatch = (m: ContaminationMatch) => (m.kind === 'exact' ? 'the same text' : `${m.n}-gram overlap ${(m.score * 100).toFixed(0)}%`);

/**
 * The train split without the problems that copy an eval problem under another id. With
 * `select.contamination: error` finding any is a config error that lists them.
 */
export function dropContaminatedProblems(config: Pick<RunConfig, 'select'>, train: readonly Problem[], evaluation: readonly Problem[]): { train: Problem[]; dropped: ContaminatedProblem[] } {
  if (evaluation.length === 0) return { train: [...train], dropped: [] };
  const report = findContaminatedProblems(train, evaluation, config.select.contaminationCheck);
  const dropped = report.contaminated.map(({ key, matches: [best] }) => ({ trainId: key, evalId: best.evalId, kind: best.kind, score: best.score, ...(best.n ? { n: best.n } : {}) }));
  if (dropped.length && config.select.contamination === 'error') {
    const list = dropped.slice(0, SHOWN).map((d) => `  ${describeDropped(d)}`).join('\n');
    throw new ConfigError(
      `${dropped.length} train problem${dropped.length === 1 ? '' : 's'} copy eval problems (select.contamination: error):\n${list}${dropped.length > SHOWN ? `\n  … and ${dropped.length - SHOWN} more` : ''}\nremove them from the train file, or set select.contamination: drop`,
    );
  }
  const gone = new Set(dropped.map((d) => d.trainId));
  return { train: train.filter((p) => !gone.has(p.id)), dropped };
}

export function describeDropped(d: ContaminatedProblem): string {
  return `${d.trainId} copies eval ${d.evalId} (${describeMatch({ ...d, evalId: d.evalId })})`;
}

/**
 * The dataset without lines whose answer contains an eval problem's text (a model restating a
 * held-out problem would teach it that problem); provenance stays line for line.
 */
export function dropContaminatedLines(config: Pick<RunConfig, 'select'>, dataset: Dataset, evaluation: readonly Problem[], round: number): { dataset: Dataset; dropped: number } {
  if (evaluation.length === 0 || dataset.lines.length === 0) return { dataset, dropped: 0 };
  const found = findContaminatedDatasetLines(dataset.lines, evaluation, config.select.contaminationCheck).contaminated;
  if (found.length === 0) return { dataset, dropped: 0 };
  if (config.select.contamination === 'error') {
    const list = found.slice(0, SHOWN).map(({ key, matches: [best] }) => `  line ${key}: contains eval ${best.evalId} (${describeMatch(best)})`).join('\n');
    throw new ConfigError(`round ${round}: ${found.length} fine-tuning example${found.length === 1 ? ' contains' : 's contain'} an eval problem's text (select.contamination: error):\n${list}`);
  }
  const bad = new Set(found.map((item) => item.key));
  const keep = dataset.lines.flatMap((_, i) => (bad.has(i + 1) ? [] : [i]));
  return {
    dataset: { lines: keep.map((i) => dataset.lines[i]), provenance: keep.map((i, at) => ({ ...dataset.provenance[i], line: at + 1 })) },
    dropped: found.length,
  };
}
