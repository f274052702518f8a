import type { Problem } from '../../schema/problem.ts';
import type { SamplingParams } from '../../schema/sample.ts';
import { sampleIdAt, sampleIdHead } from '../../store/sample-id.ts';
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

/**
 * What the entries of one draw share: how to render a prompt, and one byte per sample index for
 * the first `stride` indices of every problem, in one buffer. A round holds this per problem, so
 * it is kept small: no rendered prompt, no closure and no typed array of its own per problem.
 */
interface DrawShared {
  render: (problem: Problem) => RenderedPrompt;
  states: Uint8Array;
  stride: number;
}

/** The indices every problem has a byte for in the shared buffer; a problem drawn past them gets its own. */
const SHARED_STRIDE = 32;

/** One problem of a draw: the identity of each of its samples, and a byte per sample index. */
export class DrawEntry {
  readonly position: number;
  readonly problem: Problem;
  /** The request key: the problem id, marked when the prompt carries the hint. */
  readonly key: string;
  readonly #shared: DrawShared;
  /** `sampleId`'s JSON up to the index (sampleIdHead). */
  readonly #idHead: string;
  /** States of the indices from `stride` on. */
  #overflow: Uint8Array | undefined;
  /** Waiting in the draw's ready queue. */
  queued = false;
  /** Its decision is final under its current goal. */
  settled = false;

  constructor(position: number, problem: Problem, key: string, idHead: string, shared: DrawShared) {
    this.position = position;
    this.problem = problem;
    this.key = key;
    this.#idHead = idHead;
    this.#shared = shared;
  }

  /** The prompt as the policy receives it, rendered again each time it is asked for (it is not kept). */
  prompt(): RenderedPrompt {
    return this.#shared.render(this.problem);
  }

  /** The id of sample `index` (sampleId's value, from the head hashed once). */
  idOf(index: number): string {
    return sampleIdAt(this.#idHead, index);
  }

  state(index: number): State {
    const { states, stride } = this.#shared;
    if (index < stride) return states[this.position * stride + index] as State;
    const overflow = this.#overflow;
    return (overflow && index - stride < overflow.length ? overflow[index - stride] : State.Empty) as State;
  }

  slot(index: number): Slot {
    return SLOT_OF[this.state(index)];
  }

  set(index: number, state: State): void {
    const { states, stride } = this.#shared;
    if (index < stride) {
      states[this.position * stride + index] = state;
      return;
    }
    const at = index - stride;
    let overflow = this.#overflow ?? new Uint8Array(Math.max(8, at + 1));
    if (at >= overflow.length) {
      const grown = new Uint8Array(Math.max(at + 1, overflow.length * 2));
      grown.set(overflow);
      overflow = grown;
    }
    this.#overflow = overflow;
    overflow[at] = state;
  }

  /** Indices below `cap` in `state`. */
  count(state: State, cap: number): number {
    let count = 0;
    for (let i = 0; i < cap; i++) if (this.state(i) === state) count++;
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
    const stride = Math.min(options.cap, SHARED_STRIDE);
    const shared: DrawShared = { render: options.render, states: new Uint8Array(problems.length * stride), stride };
    this.entries = problems.map((problem, position) => {
      const idHead = sampleIdHead({ problemId: problem.id, model: options.model, prompt: options.render(problem).messages, params: options.params });
      const entry = new DrawEntry(position, problem, options.hinted ? `${problem.id}#hint` : problem.id, idHead, shared);
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
