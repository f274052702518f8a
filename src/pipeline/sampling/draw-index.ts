import type { Problem } from '../../schema/problem.ts';
import type { SamplingParams } from '../../schema/sample.ts';
import { sampleIdsOf } from '../../store/sample-id.ts';
import type { RenderedPrompt } from '../prompt.ts';
import { Slot } from './strategy.ts';

/** Where one sample index of a problem stands in a draw. */
export const State = {
  Empty: 0,
  /** Asked of the policy, not arrived. */
  Requested: 1,
  /** Stored, its verdict not computed yet (nor being computed). */
  Stored: 2,
  /** Stored, its verdict being computed. */
  Verifying: 3,
  Correct: 4,
  /** Judged incorrect, unparseable or error. */
  Wrong: 5,
} as const;
export type State = (typeof State)[keyof typeof State];

const SLOT_OF: Record<State, Slot> = { 0: Slot.Empty, 1: Slot.Pending, 2: Slot.Pending, 3: Slot.Pending, 4: Slot.Correct, 5: Slot.Wrong };

/** One problem of a draw: its prompt, the identity of each of its samples, and a byte per sample index. */
export class DrawEntry {
  readonly position: number;
  readonly problem: Problem;
  /** The request key: the problem id, marked when the prompt carries the hint. */
  readonly key: string;
  readonly prompt: RenderedPrompt;
  readonly idOf: (index: number) => string;
  #states = new Uint8Array(8);
  /** Waiting in the draw's ready queue. */
  queued = false;
  /** Its decision is final under its current goal. */
  settled = false;

  constructor(position: number, problem: Problem, key: string, prompt: RenderedPrompt, idOf: (index: number) => string) {
    this.position = position;
    this.problem = problem;
    this.key = key;
    this.prompt = prompt;
    this.idOf = idOf;
  }

  state(index: number): State {
    return (index < this.#states.length ? this.#states[index] : State.Empty) as State;
  }

  slot(index: number): Slot {
    return SLOT_OF[this.state(index)];
  }

  set(index: number, state: State): void {
    if (index >= this.#states.length) {
      const grown = new Uint8Array(Math.max(index + 1, this.#states.length * 2));
      grown.set(this.#states);
      this.#states = grown;
    }
    this.#states[index] = state;
  }

  /** Indices below `cap` in `state`. */
  count(state: State, cap: number): number {
    let count = 0;
    for (let i = 0; i < Math.min(cap, this.#states.length); i++) if (this.#states[i] === state) count++;
    return count;
  }
}

export interface DrawIndexOptions {
  model: string;
  params: SamplingParams;
  render: (problem: Problem) => RenderedPrompt;
  hinted: boolean;
  /** Sample indices at or above this are not part of the draw (a larger k of an earlier run, say). */
  cap: number;
}

/** The problems of one draw (a split and phase of a round), found by problem id; a stored record belongs to the draw only if its identity matches. */
export class DrawIndex {
  readonly entries: DrawEntry[];
  readonly hinted: boolean;
  readonly cap: number;
  readonly #byProblemId = new Map<string, DrawEntry>();

  constructor(problems: readonly Problem[], options: DrawIndexOptions) {
    this.hinted = options.hinted;
    this.cap = options.cap;
    this.entries = problems.map((problem, position) => {
      const prompt = options.render(problem);
      const idOf = sampleIdsOf({ problemId: problem.id, model: options.model, prompt: prompt.messages, params: options.params });
      const entry = new DrawEntry(position, problem, `${problem.id}${options.hinted ? '#hint' : ''}`, prompt, idOf);
      this.#byProblemId.set(problem.id, entry);
      return entry;
    });
  }

  byKey(key: string): DrawEntry | undefined {
    return this.#byProblemId.get(this.hinted ? key.replace(/#hint$/, '') : key);
  }

  /** The entry a stored sample or verdict belongs to: same problem, phase, prompt, model and parameters (by its id), index below the cap. */
  owner(record: { problemId: string; hinted: boolean; index: number }, id: string): DrawEntry | undefined {
    if (record.hinted !== this.hinted || record.index >= this.cap) return undefined;
    const entry = this.#byProblemId.get(record.problemId);
    return entry && entry.idOf(record.index) === id ? entry : undefined;
  }
}
