/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/** The day the built-in prices were taken, and from where. */
export const PRICES_TAKEN = {
  date: '2026-11-25',
  source:
    "OpenAI's pricing page (developers.openai.com/api/docs/pricing) as compiled by deploybase.ai (read March 2026) and tokenmix.ai / tokonomics.ca (April–June 2026, fine-tuned models); standard tier, no cached input, no Batch API discount",
} as const;

/**
 * Standard-tier prices of common OpenAI models, by model id; a dated snapshot (`gpt-4o-mini-2024-07-18`)
 * is priced as its model. `ft:` entries are the inference prices of models fine-tuned from that
 * base (an OpenAI fine-tune's id starts with `ft:<base>`). Prices change: `policy.pricing`
 * overrides the table for every model of a run.
 */
const BUILT_IN: Record<string, Price> = {
  'gpt-5.5': { input: 5, output: 30 },
  'gpt-5.4': { input: 2.5, output: 15 },
  'gpt-5.4-mini': { input: 0.75, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, output: 1.25 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'ft:gpt-4o': { input: 3.75, output: 15 },
  'ft:gpt-4o-mini': { input: 0.3, output: 1.2 },
};

/** The table's name for a model id: the id itself, or the model a dated snapshot or fine-tune belongs to. */
export function pricedModel(model: string): string | undefined {
  if (model in BUILT_IN) return model;
  // `ft:gpt-4o-mini-2024-07-18:org:suffix:id` → `ft:gpt-4o-mini`; `gpt-4o-2024-08-06` → `gpt-4o`.
  const fineTune = /^ft:([^:]+)/.exec(model);
  const base = (fineTune ? fineTune[1] : model).replace(/-\d{4}-\d{2}-\d{2}$/, '');
  const key = fineTune ? `ft:${base}` : base;
  return key in BUILT_IN ? key : undefined;
}

/** The price of `model`: `override` (policy.pricing) when given, else the built-in table's, else undefined (unknown). */
export function priceOf(model: string, override?: Price): Price | undefined {
  if (override) return override;
  const key = pricedModel(model);
  return key ? BUILT_IN[key] : undefined;
}

export function costUsd(price: Price, tokens: { prompt: number; completion: number }): number {
  return (tokens.prompt * price.input + tokens.completion * price.output) / 1e6;
}
