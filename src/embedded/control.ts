import type { ChatMessage } from '../schema/problem.ts';
import { arithCompletion, DEFAULT_EASY_MIXTURE, randomArithProblem } from './arith.ts';
import { deriveSeed, Rng } from './rng.ts';

/**
 * The same-steps control: gold worked solutions to EASY problems (the base model's 1–3 digit
 * lengths), in exactly the chat shape a STaR round's dataset has. Training on these for the
 * same steps as a round shows how much of a round's gain is just "more fine-tuning".
 */
export function goldControlExamples(count: number, seed: number): Array<{ messages: ChatMessage[] }> {
  const rng = new Rng(deriveSeed('gold-control', seed));
  const lengths = DEFAULT_EASY_MIXTURE.easyDigits;
  return Array.from({ length: count }, () => {
    const problem = randomArithProblem(rng, lengths[rng.int(lengths.length)]);
    return {
      messages: [
        { role: 'user', content: problem.prompt },
        { role: 'assistant', content: arithCompletion(problem) },
      ],
    };
  });
}
