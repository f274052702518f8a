/**
 * Generates `problems/gsm-mini/{train,eval}.jsonl`: grade-school word problems with integer answers,
 * from templates written for this project. Deterministic: the same seed gives byte-identical files,
 * and `test/problems/gsm-mini.test.ts` checks that the committed files are what this script makes.
 *
 *   node --import tsx scripts/make-gsm-mini.ts          # rewrite the files
 *   node --import tsx scripts/make-gsm-mini.ts --check  # exit 1 if the files are stale
 *
 * Every solution line is `expression = value` in plain arithmetic so a test can re-evaluate it.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findContaminatedProblems } from '../src/problems/contamination/guard.ts';
import type { Problem } from '../src/schema/problem.ts';
import { seededRandom } from '../src/util/seeded-random.ts';

export const GSM_MINI_SEED = 20261125;
export const GSM_MINI_COUNTS = { train: 80, eval: 40 } as const;
export type GsmMiniGroup = 'easy' | 'medium' | 'hard';

export interface GsmMiniLine {
  id: string;
  prompt: string;
  answer: string;
  split: 'train' | 'eval';
  meta: { group: GsmMiniGroup; template: string; solution: string };
}

class Dice {
  constructor(private readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Two different items. */
  pair<T>(items: readonly T[]): [T, T] {
    const first = this.pick(items);
    return [first, this.pick(items.filter((item) => item !== first))];
  }
}

const NAMES = ['Ava', 'Ben', 'Chloe', 'Dmitri', 'Esi', 'Farah', 'Gus', 'Hana', 'Ines', 'Jonah', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoe'];
const GOODS = [
  ['notebook', 'notebooks'],
  ['pencil case', 'pencil cases'],
  ['mango', 'mangoes'],
  ['loaf of bread', 'loaves of bread'],
  ['comic book', 'comic books'],
  ['bag of rice', 'bags of rice'],
  ['flower pot', 'flower pots'],
  ['jar of honey', 'jars of honey'],
] as const;

interface Drafted {
  question: string;
  steps: string[];
  answer: number;
  group: GsmMiniGroup;
}

type Template = (dice: Dice) => Drafted;

/** Each template builds its numbers so every intermediate value is a whole number. */
const TEMPLATES: Record<string, Template> = {
  'shopping-change'(d) {
    const name = d.pick(NAMES);
    const [a, b] = d.pair(GOODS);
    const [na, pa, nb, pb] = [d.int(2, 6), d.int(2, 9), d.int(2, 5), d.int(3, 12)];
    const total = na * pa + nb * pb;
    const bill = [20, 50, 100, 200].find((note) => note > total) as number;
    return {
      question: `${name} buys ${na} ${a[1]} at $${pa} each and ${nb} ${b[1]} at $${pb} each. ${name} pays with a $${bill} bill. How much change does ${name} get, in dollars?`,
      steps: [`${na} * ${pa} = ${na * pa}`, `${nb} * ${pb} = ${nb * pb}`, `${na * pa} + ${nb * pb} = ${total}`, `${bill} - ${total} = ${bill - total}`],
      answer: bill - total,
      group: 'hard',
    };
  },
  'shopping-total'(d) {
    const name = d.pick(NAMES);
    const item = d.pick(GOODS);
    const [count, price] = [d.int(3, 12), d.int(2, 15)];
    return {
      question: `A shop sells one ${item[0]} for $${price}. ${name} buys ${count} of them. How many dollars does ${name} spend?`,
      steps: [`${count} * ${price} = ${count * price}`],
      answer: count * price,
      group: 'easy',
    };
  },
  'shopping-discount'(d) {
    const item = d.pick(GOODS);
    const percent = d.pick([10, 20, 25, 50]);
    const price = (100 / gcd(100, percent)) * d.int(1, 6);
    const count = d.int(2, 5);
    const off = (price * percent) / 100;
    return {
      question: `One ${item[0]} normally costs $${price}. This week everything is ${percent}% off. How many dollars do ${count} ${item[1]} cost this week?`,
      steps: [`${price} * ${percent} / 100 = ${off}`, `${price} - ${off} = ${price - off}`, `${count} * ${price - off} = ${count * (price - off)}`],
      answer: count * (price - off),
      group: 'hard',
    };
  },
  'rate-trip'(d) {
    const name = d.pick(NAMES);
    const [s1, t1, s2, t2] = [d.int(4, 12) * 5, d.int(1, 4), d.int(4, 12) * 5, d.int(1, 3)];
    return {
      question: `${name} drives at ${s1} km per hour for ${t1} hours, then at ${s2} km per hour for ${t2} more hours. How many kilometres does ${name} drive in all?`,
      steps: [`${s1} * ${t1} = ${s1 * t1}`, `${s2} * ${t2} = ${s2 * t2}`, `${s1 * t1} + ${s2 * t2} = ${s1 * t1 + s2 * t2}`],
      answer: s1 * t1 + s2 * t2,
      group: 'medium',
    };
  },
  'rate-fill'(d) {
    const rate = d.int(3, 12);
    const minutes = d.int(4, 25);
    return {
      question: `A hose fills a tank at ${rate} litres per minute. The tank holds ${rate * minutes} litres. How many minutes does it take to fill the empty tank?`,
      steps: [`${rate * minutes} / ${rate} = ${minutes}`],
      answer: minutes,
      group: 'easy',
    };
  },
  'rate-work-together'(d) {
    const [a, b] = d.pair(NAMES);
    const [ra, rb, hours] = [d.int(2, 9), d.int(2, 9), d.int(2, 6)];
    return {
      question: `${a} can paint ${ra} fence panels an hour and ${b} can paint ${rb} panels an hour. Working together for ${hours} hours, how many panels do they paint?`,
      steps: [`${ra} + ${rb} = ${ra + rb}`, `${ra + rb} * ${hours} = ${(ra + rb) * hours}`],
      answer: (ra + rb) * hours,
      group: 'medium',
    };
  },
  'ages-multiple'(d) {
    const [parent, child] = d.pair(NAMES);
    const [childAge, times, later] = [d.int(3, 12), d.int(3, 5), d.int(2, 10)];
    return {
      question: `${parent} is ${times} times as old as ${child}. ${child} is ${childAge} years old. How old will ${parent} be in ${later} years?`,
      steps: [`${childAge} * ${times} = ${childAge * times}`, `${childAge * times} + ${later} = ${childAge * times + later}`],
      answer: childAge * times + later,
      group: 'medium',
    };
  },
  'ages-sum'(d) {
    const [a, b] = d.pair(NAMES);
    const [ageB, gap, later] = [d.int(5, 30), d.int(2, 15), d.int(1, 10)];
    const sumNow = 2 * ageB + gap;
    return {
      question: `${a} is ${gap} years older than ${b}, who is ${ageB}. What will the sum of their ages be in ${later} years?`,
      steps: [`${ageB} + ${gap} = ${ageB + gap}`, `${ageB + gap} + ${ageB} = ${sumNow}`, `${sumNow} + 2 * ${later} = ${sumNow + 2 * later}`],
      answer: sumNow + 2 * later,
      group: 'hard',
    };
  },
  'fraction-club'(d) {
    const [f, g] = [d.pick([2, 3, 4, 5]), d.pick([2, 3, 4])];
    const total = f * g * d.int(2, 6);
    const band = total / f;
    const chess = (total - band) / g;
    const neither = total - band - chess;
    return {
      question: `A class has ${total} students. One ${ordinal(f)} of them play in the band. Of the rest, one ${ordinal(g)} play chess. How many students do neither?`,
      steps: [`${total} / ${f} = ${band}`, `${total} - ${band} = ${total - band}`, `${total - band} / ${g} = ${chess}`, `${total - band} - ${chess} = ${neither}`],
      answer: neither,
      group: 'hard',
    };
  },
  'fraction-eaten'(d) {
    const name = d.pick(NAMES);
    const parts = d.pick([3, 4, 5, 6, 8]);
    const eaten = d.int(1, parts - 1);
    const whole = parts * d.int(2, 6);
    return {
      question: `${name} bakes ${whole} cookies and the family eats ${eaten}/${parts} of them. How many cookies are left?`,
      steps: [`${whole} / ${parts} * ${eaten} = ${(whole / parts) * eaten}`, `${whole} - ${(whole / parts) * eaten} = ${whole - (whole / parts) * eaten}`],
      answer: whole - (whole / parts) * eaten,
      group: 'medium',
    };
  },
  'percent-group'(d) {
    const percent = d.pick([10, 20, 25, 40, 60, 75]);
    const total = (100 / gcd(100, percent)) * d.int(2, 12);
    const walkers = (total * percent) / 100;
    return {
      question: `A school has ${total} pupils and ${percent}% of them walk to school. How many pupils do not walk to school?`,
      steps: [`${total} * ${percent} / 100 = ${walkers}`, `${total} - ${walkers} = ${total - walkers}`],
      answer: total - walkers,
      group: 'medium',
    };
  },
  'savings'(d) {
    const name = d.pick(NAMES);
    const [weekly, weeks, spend] = [d.int(3, 20), d.int(4, 12), d.int(5, 30)];
    const saved = weekly * weeks;
    return {
      question: `${name} saves $${weekly} every week for ${weeks} weeks, then spends $${Math.min(spend, saved)} on a gift. How many dollars does ${name} have left?`,
      steps: [`${weekly} * ${weeks} = ${saved}`, `${saved} - ${Math.min(spend, saved)} = ${saved - Math.min(spend, saved)}`],
      answer: saved - Math.min(spend, saved),
      group: 'medium',
    };
  },
  'garden-rows'(d) {
    const [rows, perRow] = [d.int(3, 12), d.int(4, 15)];
    const lost = d.int(1, rows * perRow - 1);
    return {
      question: `A gardener plants ${rows} rows of ${perRow} tomato plants. Rabbits eat ${lost} of the plants. How many plants are left?`,
      steps: [`${rows} * ${perRow} = ${rows * perRow}`, `${rows * perRow} - ${lost} = ${rows * perRow - lost}`],
      answer: rows * perRow - lost,
      group: 'medium',
    };
  },
  'share-stickers'(d) {
    const name = d.pick(NAMES);
    const [friends, each, given] = [d.int(2, 6), d.int(3, 12), d.int(1, 9)];
    const perPack = d.pick([5, 10, 12]);
    // Pick a pack count large enough, then adjust what was given away so the rest divides evenly.
    const packs = Math.ceil((friends * each + given) / perPack);
    const total = packs * perPack;
    const giveAway = total - friends * each;
    return {
      question: `${name} has ${packs} packs of ${perPack} stickers. ${name} gives ${giveAway} stickers to a younger brother and shares the rest equally among ${friends} friends. How many stickers does each friend get?`,
      steps: [`${packs} * ${perPack} = ${total}`, `${total} - ${giveAway} = ${friends * each}`, `${friends * each} / ${friends} = ${each}`],
      answer: each,
      group: 'hard',
    };
  },
  'wages-week'(d) {
    const name = d.pick(NAMES);
    const [wage, hours, days, bonus] = [d.int(8, 25), d.int(3, 8), d.int(3, 6), d.int(1, 6) * 10];
    const pay = wage * hours * days;
    return {
      question: `${name} earns $${wage} an hour, works ${hours} hours a day for ${days} days, and gets a $${bonus} bonus at the end of the week. How many dollars does ${name} earn that week?`,
      steps: [`${wage} * ${hours} = ${wage * hours}`, `${wage * hours} * ${days} = ${pay}`, `${pay} + ${bonus} = ${pay + bonus}`],
      answer: pay + bonus,
      group: 'hard',
    };
  },
  'ribbon-pieces'(d) {
    const piece = d.pick([10, 20, 25, 50]);
    const metres = d.int(1, 6);
    const pieces = (metres * 100) / piece;
    return {
      question: `A ribbon ${metres} metres long is cut into pieces ${piece} centimetres long. How many pieces are there?`,
      steps: [`${metres} * 100 = ${metres * 100}`, `${metres * 100} / ${piece} = ${pieces}`],
      answer: pieces,
      group: 'easy',
    };
  },
};

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function ordinal(n: number): string {
  return ({ 2: 'half', 3: 'third', 4: 'quarter', 5: 'fifth' } as Record<number, string>)[n];
}

/**
 * Round-robin over the templates so each split has every kind; no prompt appears twice, and no
 * train problem copies an eval problem (starloop's contamination guard with its default settings,
 * which would otherwise drop it from every run): such a train problem is drawn again from the
 * same template, keeping its id.
 */
export function makeGsmMini(seed = GSM_MINI_SEED): Record<'train' | 'eval', GsmMiniLine[]> {
  const dice = new Dice(seededRandom(seed));
  const names = Object.keys(TEMPLATES);
  const seen = new Set<string>();
  const build = (split: 'train' | 'eval', count: number): GsmMiniLine[] => {
    const lines: GsmMiniLine[] = [];
    for (let i = 0; lines.length < count; i++) {
      const template = names[i % names.length];
      const drafted = TEMPLATES[template](dice);
      if (seen.has(drafted.question)) continue;
      seen.add(drafted.question);
      lines.push(lineOf(drafted, template, `gsm-mini-${split}-${String(lines.length + 1).padStart(3, '0')}`, split));
    }
    return lines;
  };
  const train = build('train', GSM_MINI_COUNTS.train);
  const evaluation = build('eval', GSM_MINI_COUNTS.eval);
  const copies = (lines: GsmMiniLine[]) => findContaminatedProblems(lines.map(asProblem), evaluation.map(asProblem)).contaminated.map((c) => c.key);
  for (const id of copies(train)) {
    const at = train.findIndex((line) => line.id === id);
    const { template } = train[at].meta;
    for (;;) {
      const drafted = TEMPLATES[template](dice);
      if (seen.has(drafted.question)) continue;
      const line = lineOf(drafted, template, id, 'train');
      if (copies([line]).length) continue;
      seen.add(drafted.question);
      train[at] = line;
      break;
    }
  }
  return { train, eval: evaluation };
}

function lineOf(drafted: Drafted, template: string, id: string, split: 'train' | 'eval'): GsmMiniLine {
  const solution = `${drafted.steps.join('\n')}\n#### ${drafted.answer}`;
  return { id, prompt: drafted.question, answer: String(drafted.answer), split, meta: { group: drafted.group, template, solution } };
}

const asProblem = (line: GsmMiniLine): Problem => ({ ...line, meta: { ...line.meta } });

export const toJsonl = (lines: readonly GsmMiniLine[]) => lines.map((line) => JSON.stringify(line)).join('\n') + '\n';

export const gsmMiniDir = fileURLToPath(new URL('../problems/gsm-mini/', import.meta.url));

async function main(check: boolean): Promise<number> {
  const sets = makeGsmMini();
  let stale = 0;
  for (const split of ['train', 'eval'] as const) {
    const path = join(gsmMiniDir, `${split}.jsonl`);
    const text = toJsonl(sets[split]);
    if (check) {
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current !== text) {
        console.error(`${path} is not what scripts/make-gsm-mini.ts generates; run it without --check`);
        stale++;
      }
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    console.log(`wrote ${sets[split].length} problems to ${path}`);
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.includes('--check'));
}
