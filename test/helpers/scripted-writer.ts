import { uniform } from './scripted-policy.ts';

/**
 * The scripted model's writer mode, for `starloop generate` tests: a prompt containing
 * `WRITING_MARKER` (the default generate template does) is a request for a new problem. The reply
 * is fixed by (model, prompt, seed) and is, by share of the roll:
 * - 0.06 malformed (no `Problem:` line);
 * - 0.06 an exact copy of the first example, 0.06 the same with other case and punctuation;
 * - 0.08 the first example with one word changed (ROUGE-L near 1 for long ones);
 * - 0.05 a problem with a blacklisted word ("draw"), 0.05 one of three words;
 * - otherwise a fresh arithmetic word problem, its answer right.
 * Fresh problems are written into `answers`, so the scripted solver knows them afterwards.
 */
export const WRITING_MARKER = 'Write one new problem';

const NAMES = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Gita', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Noor', 'Oskar', 'Priya'];
const ITEMS = ['marbles', 'stickers', 'lemons', 'bricks', 'stamps', 'seashells', 'pencils', 'buttons', 'tickets', 'acorns', 'candles', 'kites'];
const PLACES = ['market', 'library', 'harbour', 'bakery', 'garden', 'station', 'museum', 'workshop'];

type Step = (n: () => number, pick: <T>(items: readonly T[]) => T, total: number) => { text: string; total: number };

/** Events that change a running total, each in words of its own, so two problems rarely share many. */
const STEPS: Step[] = [
  (n, pick, t) => { const a = n(); return { text: `At the ${pick(PLACES)} a friend hands over ${a} extra.`, total: t + a }; },
  (n, _pick, t) => { const a = Math.min(n(), t); return { text: `Later ${a} get lost on the walk home.`, total: t - a }; },
  (_n, _pick, t) => ({ text: 'Then the pile is doubled by a lucky trade.', total: t * 2 }),
  (n, _pick, t) => { const a = n(); return { text: `A neighbour donates ${a} more that evening.`, total: t + a }; },
  (n, _pick, t) => { const a = Math.min(n(), t); return { text: `Sadly ${a} break during a storm.`, total: t - a }; },
  (n, pick, t) => { const a = n(); return { text: `Each of ${pick(['two', 'three'])} cousins buys ${a} too, adding them all.`, total: t + a * 2 }; },
  (_n, _pick, t) => ({ text: 'Half of everything, rounded down, is given to charity.', total: t - Math.floor(t / 2) }),
  (n, _pick, t) => { const a = n(); return { text: `Winning a contest earns another ${a}.`, total: t + a }; },
];

export interface WrittenReply {
  text: string;
  /** A fresh problem and its answer, when the reply is one. */
  fresh?: { problem: string; answer: string };
}

export function scriptedWriting(modelId: string, prompt: string, seed: number): WrittenReply {
  const examples = [...prompt.matchAll(/^Problem: (.*)\nAnswer: (.*)$/gm)].map((m) => ({ problem: m[1], answer: m[2] }));
  const roll = uniform(modelId, prompt, seed, 'write');
  const first = examples[0] ?? { problem: 'How many legs do three cats have?', answer: '12' };
  const reply = (problem: string, answer: string) => `Problem: ${problem}\nAnswer: ${answer}`;
  if (roll < 0.06) return { text: 'Sure! Here is a new one about counting things in a garden.' };
  if (roll < 0.12) return { text: reply(first.problem, first.answer) };
  if (roll < 0.18) return { text: reply(`${first.problem.toUpperCase().replace(/[?.]$/, '')} ?!`, first.answer) };
  if (roll < 0.26) {
    const words = first.problem.split(' ');
    words[Math.floor(words.length / 2)] = 'several';
    return { text: reply(words.join(' '), first.answer) };
  }
  if (roll < 0.31) return { text: reply('Draw a picture of 12 apples in a row and count them twice.', '24') };
  if (roll < 0.36) return { text: reply('Compute 3+4.', '7') };
  let counter = 0;
  const next = () => uniform(modelId, prompt, seed, 'fresh', counter++);
  const n = () => 2 + Math.floor(next() * 40);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const name = pick(NAMES);
  const item = pick(ITEMS);
  let total = n();
  const sentences = [`${name} collects ${item} and starts the week with ${total}.`];
  const steps = [...STEPS.keys()].sort(() => next() - 0.5).slice(0, 2 + Math.floor(next() * 2));
  for (const index of steps) {
    const step = STEPS[index](n, pick, total);
    sentences.push(step.text);
    total = step.total;
  }
  sentences.push(`How many ${item} does ${name} have at the end?`);
  const problem = sentences.join(' ');
  return { text: reply(problem, String(total)), fresh: { problem, answer: String(total) } };
}
