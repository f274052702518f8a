import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { type DrawOutcome, startDraw } from '../../src/pipeline/sampling/draw.ts';
import { fixedPlan } from '../../src/pipeline/sampling/strategy.ts';
import type { Generation, GenerationRequest, Policy } from '../../src/policy/policy.ts';
import { type Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { VerdictRecord } from '../../src/schema/verdict.ts';
import { JsonlRecordSink } from '../../src/store/record-sink.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { VerifierRegistry } from '../../src/verify/registry.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';

const problems: Problem[] = ['p0', 'p1', 'p2'].map((id) => ({ id, prompt: `question ${id}`, answer: 'right', meta: {} }));

/** Answers index 0 right and the others wrong; counts what it is asked. */
function policy(asked: { count: number }): Policy {
  return {
    id: 'm',
    async *generate(requests: GenerationRequest[]): AsyncGenerator<Generation> {
      for (const request of requests) {
        for (const index of request.indices) {
          asked.count++;
          yield { key: request.key, index, text: index === 0 ? 'right' : 'wrong', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 }, model: 'm', latencyMs: 1 };
        }
      }
    },
  };
}

function resolver(broken: boolean): VerifierResolver {
  const verifier = defineVerifier({
    id: 'same', description: 'text equals the answer', version: '1', options: z.object({}),
    verify: (problem, candidate) => {
      if (broken) throw new Error('sandbox failure: bwrap missing');
      return { status: candidate === problem.answer ? 'correct' : 'incorrect', reason: '', extracted: candidate };
    },
  });
  return new VerifierResolver(new VerifierRegistry([verifier]), 'same');
}

function draw(dir: string, asked: { count: number }, broken: boolean): Promise<DrawOutcome> {
  return startDraw({
    samples: new JsonlRecordSink(join(dir, 'samples.jsonl'), Sample, (s) => s.id),
    verdicts: new JsonlRecordSink(join(dir, 'verdicts.jsonl'), VerdictRecord, (v) => v.sampleId),
    round: 0, phase: 'train', policy: policy(asked), problems, params: { temperature: 1, topP: 1, maxTokens: 5, seed: 0 },
    render: (p) => ({ messages: [{ role: 'user', content: problemText(p) }], text: problemText(p) }), hinted: false, plan: fixedPlan(2),
    resolver: resolver(broken), verifyConcurrency: 2,
  }).done;
}

test('a rerun counts a re-judged sample by its last verdict, not the error it replaced', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-rejudged-'));
  const first = await draw(dir, { count: 0 }, true);
  expect(first.health).toMatchObject({ total: 6, errors: 6 });
  expect(first.tally.counts('p0')).toEqual({ n: 2, c: 0, errors: 2, unparseable: 0 });

  // What `starloop rejudge` leaves: each error verdict stays, a new one is appended below it.
  const samples = new Map((await readFile(join(dir, 'samples.jsonl'), 'utf8')).trim().split('\n').map((line) => {
    const sample = JSON.parse(line) as Sample;
    return [sample.id, sample];
  }));
  const stored = (await readFile(join(dir, 'verdicts.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as VerdictRecord);
  const rejudged = stored.map((old): VerdictRecord => {
    const correct = samples.get(old.sampleId)!.text === 'right';
    return { ...old, status: correct ? 'correct' : 'incorrect', score: correct ? 1 : 0, reason: '', rejudged: { at: new Date().toISOString(), previous: 'error' } };
  });
  await appendFile(join(dir, 'verdicts.jsonl'), `${rejudged.map((v) => JSON.stringify(v)).join('\n')}\n`);

  const asked = { count: 0 };
  const again = await draw(dir, asked, false);
  expect(asked.count).toBe(0);
  expect(again.health).toMatchObject({ total: 6, errors: 0 });
  expect(again.correct).toBe(3);
  for (const problem of problems) expect(again.tally.counts(problem.id)).toEqual({ n: 2, c: 1, errors: 0, unparseable: 0 });
});
