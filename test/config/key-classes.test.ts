import { describe, expect, it } from 'vitest';
import { BY_KEY, KEY_CLASSES, canonicalJson, classifyConfig, computedValues, configDifferences } from '../../src/config/key-classes.ts';
import { configKeys } from '../../src/config/keys.ts';
import { RunConfig } from '../../src/config/schema.ts';
import { configHash } from '../../src/pipeline/manifest.ts';

/** `policy.endpoints[].weight` → `policy.endpoints`, `policy.endpoints[]`… its ancestors, nearest first. */
function ancestors(path: string): string[] {
  const parts = path.replace(/\[\]/g, '').split('.');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, parts.length - 1 - i).join('.'));
}

const classed = (path: string) => KEY_CLASSES[path] !== undefined && KEY_CLASSES[path] !== BY_KEY;

describe('every config key has a resume class', () => {
  const paths = [...new Set(configKeys().map((key) => key.path))];

  it('each key of RunConfig is classified, itself or by a classified ancestor (add a new key to src/config/key-classes.ts)', () => {
    const unclassified = paths.filter((path) => KEY_CLASSES[path] === undefined && !ancestors(path).some(classed));
    expect(unclassified).toEqual([]);
  });

  it('the table names only keys that exist, splits only mappings, and never classifies a key its ancestor already covers', () => {
    const known = new Set(paths.map((path) => path.replace(/\[\]/g, '')));
    expect(Object.keys(KEY_CLASSES).filter((path) => !known.has(path))).toEqual([]);
    const sections = Object.keys(KEY_CLASSES).filter((path) => KEY_CLASSES[path] === BY_KEY);
    for (const section of sections) expect(Object.keys(KEY_CLASSES).some((path) => path.startsWith(`${section}.`)), section).toBe(true);
    const covered = Object.keys(KEY_CLASSES).filter((path) => ancestors(path).some(classed));
    expect(covered).toEqual([]);
  });
});

type Tree = { [key: string]: unknown };

/** `base` with `patch` laid over it, mapping by mapping. */
function merge(base: Tree, patch: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const under = out[key];
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value) && under !== null && typeof under === 'object' && !Array.isArray(under);
    out[key] = nested ? merge(under as Tree, value as Tree) : value;
  }
  return out;
}

describe('what a resume may change', () => {
  const input: Tree = {
    problems: { train: '/data/train.jsonl', eval: '/data/eval.jsonl' },
    policy: { type: 'openai', baseURL: 'http://127.0.0.1:8000/v1', model: 'm' },
    train: { type: 'command', command: 'python train.py {dataset}' },
  };
  const base = RunConfig.parse(input);
  const variant = (patch: Tree) => RunConfig.parse(merge(input, patch));
  const asTree = (config: RunConfig) => config as unknown as Tree;

  it('deployment keys (a moved server, another key variable, concurrency, the trainer command) keep the config hash and are listed as deployment', () => {
    const moved = variant({
      policy: { baseURL: 'http://127.0.0.1:9000/v1', apiKeyEnv: 'OTHER_KEY' },
      sampling: { concurrency: 64 },
      train: { command: 'python /abs/train.py {dataset}' },
      rounds: 4,
    });
    expect(configHash(moved)).toBe(configHash(base));
    const differences = configDifferences(asTree(base), asTree(moved));
    expect(Object.fromEntries(differences.map((d) => [d.path, d.keyClass]))).toEqual({
      'policy.apiKeyEnv': 'deployment',
      'policy.baseURL': 'deployment',
      rounds: 'extent',
      'sampling.concurrency': 'deployment',
      'train.command': 'deployment',
    });
  });

  it('keys that change results (model, prompt, temperature, verifier options, selection, seeds) change the hash and are computed', () => {
    const patches: [string, RunConfig][] = [
      ['policy.model', variant({ policy: { model: 'other' } })],
      ['prompt.template', variant({ prompt: { template: 'Q: {{problem}}' } })],
      ['sampling.temperature', variant({ sampling: { temperature: 0.2 } })],
      ['verifier', variant({ verifier: { id: 'math', options: { precision: 2 } } })],
      ['select.maxPerProblem', variant({ select: { maxPerProblem: 1 } })],
      ['sampling.seed', variant({ sampling: { seed: 7 } })],
      ['policy.type', RunConfig.parse({ ...input, policy: { type: 'embedded' } })],
    ];
    for (const [path, changed] of patches) {
      expect(configHash(changed), path).not.toBe(configHash(base));
      const computed = configDifferences(asTree(base), asTree(changed)).filter((d) => d.keyClass === 'computed');
      expect(computed.map((d) => d.path), path).toContain(path);
    }
  });

  it('a key the table does not know is locked, not ignored', () => {
    const classified = classifyConfig({ ...asTree(base), futureKey: 1, sampling: { ...base.sampling, futureOption: true } });
    expect(classified.get('futureKey')?.keyClass).toBe('computed');
    expect(classified.get('sampling.futureOption')?.keyClass).toBe('computed');
  });
});

describe('keys main added since the table was made', () => {
  const input: Tree = {
    problems: { train: '/data/train.jsonl', eval: '/data/eval.jsonl' },
    policy: { type: 'openai', baseURL: 'http://127.0.0.1:8000/v1', model: 'm' },
    teacher: { type: 'openai', baseURL: 'http://127.0.0.1:8001/v1', model: 't' },
    train: { type: 'command', command: 'python train.py {dataset}' },
  };
  const base = RunConfig.parse(input);
  const variant = (patch: Tree) => RunConfig.parse(merge(input, patch));
  const classesOf = (changed: RunConfig) => Object.fromEntries(configDifferences(base as unknown as Tree, changed as unknown as Tree).map((d) => [d.path, d.keyClass]));

  it('a run made before sampling strategies existed hashes as it did, and the idle strategy keys of `fixed` may change', () => {
    const { strategy, correct, maxK, ...before } = base.sampling;
    expect(strategy).toBe('fixed');
    const old = { ...(base as unknown as Tree), sampling: before };
    expect(canonicalJson(computedValues(old))).toBe(canonicalJson(computedValues(base as unknown as Tree)));
    expect(configDifferences(old, base as unknown as Tree)).toEqual([]);
    expect(classesOf(variant({ sampling: { correct: 3 } }))).toEqual({});
    expect(configHash(variant({ sampling: { strategy: 'stop-after-correct' } }))).not.toBe(configHash(base));
    expect(classesOf(variant({ sampling: { strategy: 'uniform', maxK: 16 } }))).toEqual({ 'sampling.strategy': 'computed', 'sampling.maxK': 'computed', 'sampling.correct': 'computed' });
  });

  it('the budget, the teacher\'s server and the problem files\' paths are deployment; the teacher\'s model and selection filters are computed', () => {
    const moved = variant({
      budget: { maxCostUsd: 5 },
      teacher: { baseURL: 'http://127.0.0.1:9001/v1', timeoutMs: 1000 },
      problems: { train: '/elsewhere/train.jsonl', eval: '/elsewhere/eval.jsonl' },
    });
    expect(configHash(moved)).toBe(configHash(base));
    expect(new Set(Object.values(classesOf(moved)))).toEqual(new Set(['deployment']));
    for (const [path, patch] of [
      ['teacher.model', { teacher: { model: 'other' } }],
      ['teacher.rounds', { teacher: { rounds: 'first' } }],
      ['select.filter', { select: { filter: 'none' } }],
      ['select.pool', { select: { pool: 'all' } }],
    ] as [string, Tree][]) {
      expect(classesOf(variant(patch))[path], path).toBe('computed');
    }
  });
});
