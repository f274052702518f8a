import type { Batch } from './network.ts';
import { encode, EOS } from './tokenizer.ts';

/** One supervised example: the model reads `prompt` and learns to write `completion` then stop. */
export interface TrainExample {
  prompt: string;
  completion: string;
}

/** Token ids of `[EOS] prompt completion [EOS]` and where the completion starts. */
export interface EncodedExample {
  tokens: number[];
  /** Index in `tokens` of the first completion token (loss is taken from here on). */
  completionStart: number;
}

export function encodeExample(example: TrainExample): EncodedExample {
  const prompt = [EOS, ...encode(example.prompt)];
  return { tokens: [...prompt, ...encode(example.completion), EOS], completionStart: prompt.length };
}

/** Pads the examples into one batch; only completion tokens (and the final EOS) carry loss. */
export function collate(examples: EncodedExample[], contextLength: number): Batch {
  const T = Math.max(...examples.map((e) => e.tokens.length - 1));
  if (T > contextLength) {
    throw new RangeError(`an example of ${T + 1} tokens does not fit the context of ${contextLength}`);
  }
  const B = examples.length;
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  const weights = new Float32Array(B * T);
  examples.forEach((e, b) => {
    for (let t = 0; t + 1 < e.tokens.length; t++) {
      inputs[b * T + t] = e.tokens[t];
      targets[b * T + t] = e.tokens[t + 1];
      weights[b * T + t] = t + 1 >= e.completionStart ? 1 : 0;
    }
  });
  return { B, T, inputs, targets, weights };
}
