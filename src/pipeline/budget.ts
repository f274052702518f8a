import type { BudgetConfig } from '../config/schema.ts';
import { BudgetExceededError, ConfigError } from '../errors.ts';
import { costUsd, type Price } from '../pricing/prices.ts';
import type { Usage } from '../schema/sample.ts';

/** What a run has paid for so far (every stored sample of every round and phase). */
export interface Spend {
  samples: number;
  promptTokens: number;
  completionTokens: number;
  /** Null once a sample of unknown price was drawn. */
  costUsd: number | null;
}

export const NO_SPEND: Spend = { samples: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };

/** The most one sample can cost before it is drawn: its prompt (paid whole, as if alone in its request) and maxTokens of completion. */
export interface SampleEstimate {
  promptTokens: number;
  completionTokens: number;
}

/**
 * The run's spending caps (`budget`). Before a request goes out, room for its samples is reserved at
 * their most (so requests in flight can never carry the run past a cap); when a sample arrives, its
 * reservation is replaced by what it really used. A request that does not fit waits for requests
 * in flight to settle, and when none is in flight the run stops at the cap: it never sends a
 * request that could take it over.
 */
export class Budget {
  readonly limits: BudgetConfig;
  readonly spent: Spend;
  #reserved = { samples: 0, tokens: 0, costUsd: 0 };
  #price: Price | undefined;

  constructor(limits: BudgetConfig, spent: Spend = NO_SPEND) {
    this.limits = limits;
    this.spent = { ...spent };
  }

  get capped(): boolean {
    return this.limits.maxCostUsd !== undefined || this.limits.maxTokens !== undefined || this.limits.maxSamples !== undefined;
  }

  /** The price samples are drawn at from now on; a cost cap with no price for the model is refused before anything is sent. */
  priceFor(model: string, price: Price | undefined): void {
    if (this.limits.maxCostUsd !== undefined && !price) {
      throw new ConfigError(`budget.maxCostUsd is set, but the price of model ${model} is not known (not in the built-in table); give policy.pricing: {input, output} in USD per million tokens`);
    }
    this.#price = price;
  }

  /** How many of `wanted` samples estimated at `each` fit under every cap now; they are reserved. */
  reserve(wanted: number, each: SampleEstimate): number {
    if (!this.capped) return wanted;
    const { maxSamples, maxTokens, maxCostUsd } = this.limits;
    const tokens = each.promptTokens + each.completionTokens;
    const cost = this.#price ? costUsd(this.#price, { prompt: each.promptTokens, completion: each.completionTokens }) : 0;
    let fit = wanted;
    if (maxSamples !== undefined) fit = Math.min(fit, Math.floor(maxSamples - this.spent.samples - this.#reserved.samples));
    if (maxTokens !== undefined && tokens > 0) fit = Math.min(fit, Math.floor((maxTokens - this.#spentTokens() - this.#reserved.tokens) / tokens));
    if (maxCostUsd !== undefined && cost > 0) fit = Math.min(fit, Math.floor((maxCostUsd - (this.spent.costUsd ?? 0) - this.#reserved.costUsd) / cost + 1e-9));
    fit = Math.max(0, fit);
    this.#reserved.samples += fit;
    this.#reserved.tokens += fit * tokens;
    this.#reserved.costUsd += fit * cost;
    return fit;
  }

  /** A sample arrived: its reservation (`each`, as reserved) gives way to its real use. */
  record(usage: Usage, each?: SampleEstimate): void {
    if (each && this.capped) {
      this.#reserved.samples -= 1;
      this.#reserved.tokens -= each.promptTokens + each.completionTokens;
      this.#reserved.costUsd -= this.#price ? costUsd(this.#price, { prompt: each.promptTokens, completion: each.completionTokens }) : 0;
    }
    this.spent.samples++;
    this.spent.promptTokens += usage.promptTokens;
    this.spent.completionTokens += usage.completionTokens;
    if (this.spent.costUsd !== null) {
      this.spent.costUsd = this.#price ? this.spent.costUsd + costUsd(this.#price, { prompt: usage.promptTokens, completion: usage.completionTokens }) : null;
    }
  }

  /** The error a run stops with at the cap: what was spent, against which cap, and how to go on. */
  exceeded(): BudgetExceededError {
    const { maxSamples, maxTokens, maxCostUsd } = this.limits;
    const caps = [
      maxCostUsd !== undefined ? `$${(this.spent.costUsd ?? 0).toFixed(4)} of budget.maxCostUsd $${maxCostUsd}` : '',
      maxTokens !== undefined ? `${this.#spentTokens()} of budget.maxTokens ${maxTokens} tokens` : '',
      maxSamples !== undefined ? `${this.spent.samples} of budget.maxSamples ${maxSamples} samples` : '',
    ].filter(Boolean);
    return new BudgetExceededError(`budget reached: spent ${caps.join(', ')}; everything drawn so far is stored — raise the budget and run again with --resume to continue`);
  }

  #spentTokens(): number {
    return this.spent.promptTokens + this.spent.completionTokens;
  }
}
