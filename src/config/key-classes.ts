/**
 * What each config key decides, which is what `--resume` may change. Every key of the run config
 * is in this table (a test fails for a key added without a class), so a new key is a decision, not
 * an accident.
 *
 * - `computed`: what is sampled, verified, selected or trained (models, prompts, sampling
 *   parameters, verifiers and their options, selection, seeds). Locked: the stored samples and
 *   verdicts would not be this config's. (The problems' content is locked too, by the sha256 the
 *   manifest stores; their files' paths are deployment.)
 * - `extent`: how much is computed (rounds, k). May change: sample identities do not include it,
 *   so stored work is reused and only what is missing is drawn.
 * - `deployment`: where and how fast it runs (URLs, key variable names, concurrency, rate limits,
 *   time limits, retries, trainer command, poll intervals, worker threads, prices, budget,
 *   problem file paths). May change.
 *
 * A resumed run records every change of an `extent` or `deployment` key in its manifest.
 */
export type KeyClass = 'computed' | 'extent' | 'deployment';

/** A mapping whose keys are classified one by one. */
export const BY_KEY = 'by-key';

/**
 * Dotted paths as `configKeys()` names them. A key with a class covers everything below it (a
 * list's items, a mapping's keys); a `by-key` section's keys each have their own entry.
 */
export const KEY_CLASSES: Readonly<Record<string, KeyClass | typeof BY_KEY>> = {
  name: 'computed',
  problems: BY_KEY,
  // Where the problem files are; their content is fingerprinted (sha256) in the manifest and checked on resume.
  'problems.train': 'deployment',
  'problems.eval': 'deployment',
  'problems.format': 'computed',
  'problems.limit': 'computed',
  verifier: 'computed',
  verifiers: 'computed',

  policy: BY_KEY,
  'policy.type': 'computed',
  'policy.model': 'computed',
  'policy.mode': 'computed',
  'policy.extraBody': 'computed',
  'policy.checkpoint': 'computed',
  'policy.baseURL': 'deployment',
  'policy.endpoints': 'deployment',
  'policy.apiKeyEnv': 'deployment',
  // How requests carry several samples; which samples are drawn (index, seed) does not change.
  'policy.n': 'deployment',
  'policy.requestsPerMinute': 'deployment',
  'policy.tokensPerMinute': 'deployment',
  'policy.timeoutMs': 'deployment',
  'policy.maxRetries': 'deployment',
  'policy.rateLimitPatienceMs': 'deployment',
  // Prices only the cost column; a corrected price is recorded like any other change.
  'policy.pricing': 'deployment',
  // The Batch API or one request per sample: the same samples (their ids do not include it), another way to ask.
  'policy.batch': 'deployment',
  'policy.workers': 'deployment',

  // The teacher's keys are classed as the policy's; which rounds it samples changes the training data.
  // Read only by `starloop generate`, which writes a problem file; a run computes nothing from it.
  generate: 'deployment',
  teacher: BY_KEY,
  'teacher.type': 'computed',
  'teacher.model': 'computed',
  'teacher.mode': 'computed',
  'teacher.extraBody': 'computed',
  'teacher.checkpoint': 'computed',
  'teacher.rounds': 'computed',
  'teacher.baseURL': 'deployment',
  'teacher.endpoints': 'deployment',
  'teacher.apiKeyEnv': 'deployment',
  'teacher.n': 'deployment',
  'teacher.requestsPerMinute': 'deployment',
  'teacher.tokensPerMinute': 'deployment',
  'teacher.timeoutMs': 'deployment',
  'teacher.maxRetries': 'deployment',
  'teacher.rateLimitPatienceMs': 'deployment',
  'teacher.pricing': 'deployment',
  'teacher.batch': 'deployment',
  'teacher.workers': 'deployment',

  sampling: BY_KEY,
  'sampling.k': 'extent',
  // Which samples an adaptive strategy asks for depends on these (under `fixed` they are left out: see IDLE_UNDER_FIXED).
  'sampling.strategy': 'computed',
  'sampling.correct': 'computed',
  'sampling.maxK': 'computed',
  'sampling.temperature': 'computed',
  'sampling.topP': 'computed',
  'sampling.maxTokens': 'computed',
  'sampling.stop': 'computed',
  'sampling.seed': 'computed',
  'sampling.concurrency': 'deployment',

  prompt: BY_KEY,
  'prompt.system': 'computed',
  'prompt.template': 'computed',

  rationalize: BY_KEY,
  'rationalize.enabled': 'computed',
  'rationalize.hintTemplate': 'computed',
  'rationalize.k': 'computed',

  select: BY_KEY,
  'select.maxPerProblem': 'computed',
  'select.dedupe': 'computed',
  // Which train problems are dropped as copies of eval problems: it changes what is trained on.
  'select.contamination': 'computed',
  'select.contaminationCheck': 'computed',
  'select.filter': 'computed',
  'select.majorityShare': 'computed',
  'select.pool': 'computed',

  train: BY_KEY,
  'train.type': 'computed',
  'train.base': 'computed',
  'train.restartFromBase': 'computed',
  'train.suffix': 'computed',
  'train.hyperparameters': 'computed',
  'train.steps': 'computed',
  'train.learningRate': 'computed',
  'train.batchSize': 'computed',
  // Supervised or DPO, and which preference pairs: what the next model is trained on.
  'train.method': 'computed',
  'train.pairs': 'computed',
  // How a trained adapter is served: its name is the model id the next round samples (part of each
  // sample's identity); the server kind, unloading and time limit only say how it gets there.
  'train.serve': BY_KEY,
  'train.serve.name': 'computed',
  'train.serve.type': 'deployment',
  'train.serve.unload': 'deployment',
  'train.serve.timeoutMs': 'deployment',
  'train.baseURL': 'deployment',
  'train.apiKeyEnv': 'deployment',
  // Where the user's trainer lives and how it is started (a moved script, a corrected path).
  'train.command': 'deployment',
  'train.pollIntervalMs': 'deployment',
  'train.timeoutMs': 'deployment',

  eval: BY_KEY,
  'eval.k': 'extent',
  'eval.temperature': 'computed',
  'eval.maxTokens': 'computed',

  rounds: 'extent',
  seed: 'computed',
  // A spending limit: it decides when the run stops, not what a sample or verdict is; a raised limit resumes.
  budget: 'deployment',
};

/**
 * Sampling keys that decide nothing under the `fixed` strategy (k per problem). They are left out
 * of the classified values then, so changing them is no change, and runs made before strategies
 * existed hash as they did.
 */
const IDLE_UNDER_FIXED = ['strategy', 'correct', 'maxK'];

/** One classified value of a config: its dotted path, class and value (undefined when unset). */
export interface ClassifiedValue {
  path: string;
  keyClass: KeyClass;
  value: unknown;
}

/**
 * The config's values by class, walking `by-key` sections. A key the table does not know (a
 * config written by a newer starloop) counts as `computed`: changing it is refused, never ignored.
 */
export function classifyConfig(config: Record<string, unknown>): Map<string, ClassifiedValue> {
  const out = new Map<string, ClassifiedValue>();
  const sampling = config.sampling as Record<string, unknown> | undefined;
  const fixed = (sampling?.strategy ?? 'fixed') === 'fixed';
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (value === undefined) continue;
      if (fixed && prefix === 'sampling' && IDLE_UNDER_FIXED.includes(key)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const entry = KEY_CLASSES[path];
      if (entry === BY_KEY && value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, path);
      else out.set(path, { path, keyClass: entry === undefined || entry === BY_KEY ? 'computed' : entry, value });
    }
  };
  walk(config, '');
  return out;
}

/** A key whose value differs between two configs. */
export interface KeyDifference {
  path: string;
  keyClass: KeyClass;
  from: unknown;
  to: unknown;
}

/** Every classified key whose value differs, by path; a key set in one config only differs too. */
export function configDifferences(before: Record<string, unknown>, after: Record<string, unknown>): KeyDifference[] {
  const a = classifyConfig(before);
  const b = classifyConfig(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const differences: KeyDifference[] = [];
  for (const path of paths) {
    const from = a.get(path);
    const to = b.get(path);
    if (canonicalJson(from?.value) === canonicalJson(to?.value)) continue;
    // A key changed class only if the table changed; the stricter one wins.
    const keyClass = from?.keyClass === 'computed' || to?.keyClass === 'computed' ? 'computed' : (to ?? from)!.keyClass;
    differences.push({ path, keyClass, from: from?.value, to: to?.value });
  }
  return differences;
}

/** The `computed` values only, as one object keyed by dotted path: what the config hash covers. */
export function computedValues(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, { keyClass, value }] of [...classifyConfig(config)].sort(([x], [y]) => x.localeCompare(y))) {
    if (keyClass === 'computed') out[path] = value;
  }
  return out;
}

/** JSON with every mapping's keys sorted, so equal values print equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}
