import PQueue from 'p-queue';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import { majorityOfCounts, readAnswer } from '../verify/read-answers.ts';
import type { VerifierResolver } from '../verify/resolver.ts';

export interface MajorityAnswers {
  /** Each decided problem, with its majority answer and the votes it got. */
  winners: Map<string, { problem: Problem; answer: string; votes: number }>;
  /** Samples whose answer the verifier could not read (not unparseable: it failed), with one reason. */
  unreadable: number;
  firstError?: string;
}

/** Answers read at once: enough to keep an asynchronous verifier busy, few enough that the stream never piles up. */
const READ_CONCURRENCY = 8;

/**
 * The majority vote of the filter for problems without gold answers, from the round's samples
 * streamed once: each plain sample votes with the answer its problem's verifier reads, and a
 * problem keeps only its votes per answer, so memory grows with the problems and their distinct
 * answers, not with the samples. Gold answers are not looked at, so problems that have one are
 * voted on the same way. Which samples survive is decided by reading each again
 * (`agreesWithMajority`), rather than by holding every sample's answer.
 */
export async function majorityAnswers(problems: readonly Problem[], samples: AsyncIterable<Sample>, resolver: VerifierResolver, minShare: number): Promise<MajorityAnswers> {
  const byId = new Map(problems.map((problem) => [problem.id, problem]));
  const ballots = new Map<string, { samples: number; counts: Map<string, number> }>();
  const result: MajorityAnswers = { winners: new Map(), unreadable: 0 };
  const queue = new PQueue({ concurrency: READ_CONCURRENCY });
  let failure: { error: unknown } | undefined;
  for await (const sample of samples) {
    const problem = sample.hinted ? undefined : byId.get(sample.problemId);
    if (!problem) continue;
    let ballot = ballots.get(problem.id);
    if (!ballot) ballots.set(problem.id, (ballot = { samples: 0, counts: new Map() }));
    ballot.samples++;
    const counts = ballot.counts;
    queue
      .add(async () => {
        const read = await readAnswer(resolver, problem, sample.text);
        if (read.answer !== undefined) counts.set(read.answer, (counts.get(read.answer) ?? 0) + 1);
        else if (read.error) {
          result.unreadable++;
          result.firstError ??= read.error;
        }
      })
      .catch((error: unknown) => (failure ??= { error }));
    await queue.onSizeLessThan(READ_CONCURRENCY * 4);
    if (failure) break;
  }
  await queue.onIdle();
  if (failure) throw failure.error;
  for (const problem of problems) {
    const ballot = ballots.get(problem.id);
    const vote = ballot && majorityOfCounts(ballot.counts, ballot.samples, minShare);
    if (vote?.winner !== undefined) result.winners.set(problem.id, { problem, answer: vote.winner, votes: vote.votes });
  }
  return result;
}

/** Whether a plain sample gave its problem's majority answer (read again, as majorityAnswers read it). */
export async function agreesWithMajority(majority: MajorityAnswers, sample: Sample, resolver: VerifierResolver): Promise<boolean> {
  const winner = sample.hinted ? undefined : majority.winners.get(sample.problemId);
  return winner !== undefined && (await readAnswer(resolver, winner.problem, sample.text)).answer === winner.answer;
}
