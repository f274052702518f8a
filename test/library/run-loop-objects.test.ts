import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type Generation, type GenerationRequest, type PipelineEvent, type Policy, type PolicyRef, type TrainRequest, parseConfig, runLoop } from '../../src/index.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { fixture, tempDir } from '../e2e/cli.ts';
import { scriptedReply } from '../helpers/scripted-policy.ts';

const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
const answers = Object.fromEntries(problems.map((p) => [problemText(p), p.answer!]));

/** An in-process model: right 30% of the time as the base, more after each `ft:` fine-tune (the scripted model's rule). */
function scriptedPolicy(ref: PolicyRef): Policy {
  return {
    id: ref.model,
    async *generate(requests: GenerationRequest[], params): AsyncGenerator<Generation> {
      for (const request of requests) {
        for (const index of request.indices) {
          const { text } = scriptedReply({ answers }, ref.model, request.text, params.seed + index);
          yield { key: request.key, index, text, finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5 }, model: ref.model, latencyMs: 0 };
        }
      }
    },
  };
}

test('runLoop runs with an in-process Policy factory and Trainer object, and reports typed events', async () => {
  const dir = await tempDir();
  const config = parseConfig({
    name: 'library',
    problems: { train: fixture('train.jsonl'), eval: fixture('eval.jsonl') },
    verifier: 'numeric',
    sampling: { k: 4 },
    rationalize: { enabled: false },
    eval: { k: 4 },
    rounds: 2,
  });
  const trained: TrainRequest[] = [];
  const events: PipelineEvent[] = [];
  const result = await runLoop({
    config,
    runDir: join(dir, 'run'),
    policy: (ref) => scriptedPolicy(ref),
    trainer: {
      id: 'mine',
      async train(request) {
        trained.push(request);
        return { model: `ft:${request.start.model}:round-${request.round}` };
      },
    },
    onEvent: (event) => events.push(event),
  });

  // A factory is asked for the config policy's model first (here the default, `embedded`), then for each trained one.
  expect(result.summaries.map((s) => s.model)).toEqual(['embedded', 'ft:embedded:round-1', 'ft:embedded:round-2']);
  // Each fine-tune gets the round's dataset, in chat format, and starts from the base (restartFromBase).
  expect(trained.map((t) => [t.round, t.start.model])).toEqual([[1, 'embedded'], [2, 'embedded']]);
  const firstDataset = (await readFile(trained[0].datasetPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  expect(firstDataset.length).toBe(result.summaries[0].train!.datasetExamples);
  expect(firstDataset.every((line) => line.messages.at(-1).role === 'assistant')).toBe(true);
  // The scripted model improves with fine-tuning, and the events tell the story in order.
  expect(result.summaries[1].eval!.passAt1).toBeGreaterThan(result.summaries[0].eval!.passAt1);
  expect(events[0]).toMatchObject({ type: 'run-start', rounds: 2, resumed: false });
  const stages = events.filter((e) => e.type === 'stage-end' && e.round === 0).map((e) => (e as { stage: string }).stage);
  expect(stages).toEqual(['eval', 'sample', 'verify', 'select', 'train']);
  expect(events.filter((e) => e.type === 'round-end')).toHaveLength(3);
});
