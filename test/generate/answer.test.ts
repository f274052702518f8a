import { expect, test } from 'vitest';
import { GenerateAnswerConfig } from '../../src/config/generate-schema.ts';
import { resolveConfig } from '../../src/config/load.ts';
import { answerCandidates, type Candidate } from '../../src/generate/answer.ts';
import type { Generation, GenerationRequest, Policy } from '../../src/policy/policy.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';
import { createVerifierRegistry } from '../../verifiers/index.ts';

const config = resolveConfig({ problems: { train: 'train.jsonl' }, verifier: 'numeric', prompt: { template: 'Solve: {{problem}}' } }, '/tmp');
const resolver = new VerifierResolver(createVerifierRegistry(), 'numeric');
const candidate = (id: string, writerAnswer?: string): Candidate => ({ request: id.charCodeAt(0), problem: { id, prompt: `Problem ${id}`, meta: {} }, ...(writerAnswer !== undefined ? { writerAnswer } : {}) });

/** A solver that gives, for each problem, the replies listed for it, in order of sample index. */
function solver(replies: Record<string, string[]>, asked: GenerationRequest[] = []): Policy {
  return {
    id: 'fixed',
    async *generate(requests: GenerationRequest[]): AsyncGenerator<Generation> {
      for (const request of requests) {
        asked.push(request);
        const own = replies[request.text.replace('Solve: Problem ', '')];
        for (const index of request.indices) {
          yield { key: request.key, index, text: own[index], finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5 }, model: 'fixed', latencyMs: 0 };
        }
      }
    },
  };
}

const context = (settings: Partial<GenerateAnswerConfig>, policy: Policy) => ({ config, settings: GenerateAnswerConfig.parse(settings), seed: 0, solver: policy, resolver });

test('teacher: the writer\'s answer is kept as written when the verifier takes it as gold; otherwise the problem is dropped and the solver is not asked', async () => {
  const asked: GenerationRequest[] = [];
  const outcomes = await answerCandidates([candidate('a', '52 apples'), candidate('b', 'seven'), candidate('c')], context({ method: 'teacher' }, solver({}, asked)));
  expect(outcomes[0]).toEqual({ ok: true, answer: '52 apples', provenance: { method: 'teacher' }, usage: { promptTokens: 0, completionTokens: 0 } });
  expect(outcomes[1]).toMatchObject({ ok: false, reason: 'unreadable-answer', detail: expect.stringContaining(`verifier 'numeric' does not accept "seven" as its gold answer (error: gold answer 'seven' holds no number)`) });
  expect(outcomes[2]).toMatchObject({ ok: false, reason: 'unreadable-answer', detail: 'the writer gave no answer' });
  expect(asked).toEqual([]);
});

test('self-consistency: answers are compared as the verifier reads them, and the majority is kept only at the share asked for', async () => {
  const replies = {
    // 1,200 and 1200.0 are one answer to `numeric`: 5 of 8 agree.
    a: ['The answer is 1,200.', 'The answer is 1200.', 'The answer is 1200.0.', 'So 1200 in all. The answer is 1200.', 'The answer is 1,200.', 'The answer is 7.', 'The answer is 8.', 'I am not sure.'],
    // 4 of 8: the share is exactly 0.5.
    b: ['The answer is 3.', 'The answer is 3.', 'The answer is 3.', 'The answer is 3.', 'The answer is 4.', 'The answer is 5.', 'The answer is 6.', 'The answer is 9.'],
    // A tie at the top is no majority, whatever the share.
    c: ['The answer is 1.', 'The answer is 1.', 'The answer is 1.', 'The answer is 1.', 'The answer is 2.', 'The answer is 2.', 'The answer is 2.', 'The answer is 2.'],
    d: Array.from({ length: 8 }, () => 'I do not know.'),
  };
  const asked: GenerationRequest[] = [];
  const outcomes = await answerCandidates(['a', 'b', 'c', 'd'].map((id) => candidate(id)), context({ method: 'self-consistency', k: 8, minShare: 0.5 }, solver(replies, asked)));
  expect(asked.map((r) => r.indices)).toEqual(Array.from({ length: 4 }, () => [0, 1, 2, 3, 4, 5, 6, 7]));
  expect(asked[0].messages.at(-1)).toEqual({ role: 'user', content: 'Solve: Problem a' });
  expect(outcomes[0]).toEqual({ ok: true, answer: '1200', provenance: { method: 'self-consistency', agreement: 5 / 8, votes: 5, k: 8 }, usage: { promptTokens: 80, completionTokens: 40 } });
  expect(outcomes[1]).toMatchObject({ ok: true, answer: '3', provenance: { agreement: 0.5, votes: 4, k: 8 } });
  expect(outcomes[2]).toMatchObject({ ok: false, reason: 'no-majority', detail: 'tie: top answer 4/8' });
  expect(outcomes[3]).toMatchObject({ ok: false, reason: 'no-majority', detail: 'no answers: top answer 0/8' });

  // Just under the share: 4 of 8 is not 0.6.
  const stricter = await answerCandidates([candidate('b')], context({ method: 'self-consistency', k: 8, minShare: 0.6 }, solver(replies)));
  expect(stricter[0]).toMatchObject({ ok: false, reason: 'no-majority', detail: 'below share: top answer 4/8' });
});
