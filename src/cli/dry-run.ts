import type { RunConfig } from '../config/schema.ts';
import { dropContaminatedProblems } from '../pipeline/contamination.ts';
import { planRun, plannedModels, type RunPlan, type StagePlan } from '../pipeline/plan.ts';
import { readStoredDraws } from '../pipeline/plan-stored.ts';
import { type PromptCounter, promptCounter } from '../pricing/tokens.ts';
import { readProblemFile } from '../problems/load.ts';
import { formatTextTable } from '../report/text-table.ts';
import { checkRunDirectory } from '../store/run-store.ts';
import { writeJson } from './options.ts';

/**
 * `starloop run --dry-run`: what the run would ask for, printed before anything is sent. It reads
 * the problem files (and, with --resume, the run directory) and writes nothing.
 */
export async function printDryRun(config: RunConfig, options: { runDir: string; resume: boolean; json: boolean }): Promise<void> {
  // The run would refuse these directories before sending anything; so does its preview.
  checkRunDirectory(options.runDir, options.resume);
  const train = await readProblemFile(config.problems.train, { format: config.problems.format, split: 'train', limit: config.problems.limit });
  const evaluation = config.problems.eval ? (await readProblemFile(config.problems.eval, { format: config.problems.format, split: 'eval', limit: config.problems.limit })).problems : [];
  const { train: trainProblems } = dropContaminatedProblems(config, train.problems, evaluation);
  const stored = options.resume ? await readStoredDraws(options.runDir, config) : undefined;
  const trains = config.train.type !== 'none';
  const counters = new Map<string, PromptCounter>();
  for (const model of plannedModels(config, trains, stored)) counters.set(model, await promptCounter(model));
  const plan = planRun({ config, train: trainProblems, eval: evaluation, trains, ...(stored ? { stored } : {}), counterFor: (model) => counters.get(model)! });
  if (options.json) writeJson(plan);
  else process.stdout.write(`${formatPlan(plan)}\n`);
}

const usd = (value: number | null) => (value === null ? 'unknown' : `$${value < 0.01 && value > 0 ? value.toFixed(6) : value.toFixed(4)}`);
const count = (value: number) => value.toLocaleString('en-US');

/** The plan as a table, one line per round and stage, then totals, how tokens were counted, and what is not known yet. */
export function formatPlan(plan: RunPlan): string {
  const columns = [
    { header: 'round', align: 'right' as const },
    { header: 'stage' },
    { header: 'model' },
    { header: 'problems', align: 'right' as const },
    { header: 'requests', align: 'right' as const },
    { header: 'samples', align: 'right' as const },
    { header: 'prompt tok', align: 'right' as const },
    { header: 'completion tok ≤', align: 'right' as const },
    { header: 'cost ≤', align: 'right' as const },
    { header: 'figures' },
  ];
  const row = (round: string, s: StagePlan) => [round, s.stage, s.model, count(s.problems), count(s.requests), count(s.samples), count(s.promptTokens), count(s.completionTokens), usd(s.costUsd), s.bound];
  const rows = plan.rounds.flatMap((r) => r.stages.map((s) => row(String(r.round), s)));
  rows.push(['total', '', '', '', count(plan.requests), count(plan.samples), count(plan.promptTokens), count(plan.completionTokens), usd(plan.costUsd), plan.exact ? 'exact' : 'at most']);
  const lines = ['dry run: nothing is sent, nothing is written', '', formatTextTable(columns, rows), ''];
  lines.push('completion tokens are an upper bound: every sample at its maxTokens; the cost column prices that bound');
  if (plan.completionTokensAtObservedMean !== null) {
    lines.push(`at the mean length of the samples already stored, completion tokens would be about ${count(plan.completionTokensAtObservedMean)} (where none is stored for a stage, its bound is counted)`);
  }
  for (const t of plan.tokenizers) lines.push(`prompt tokens of ${t.model}: ${t.exact ? `counted with its tokenizer (${t.method})` : t.method}`);
  // The same note of several stages is said once, naming them.
  const stagesOf = new Map<string, string[]>();
  for (const r of plan.rounds) for (const s of r.stages) for (const note of s.notes) stagesOf.set(note, [...(stagesOf.get(note) ?? []), `${r.round} ${s.stage}`]);
  for (const [note, stages] of stagesOf) lines.push(`round ${stages.join(', ')}: ${note}`);
  lines.push(...plan.notes);
  return lines.join('\n');
}
