import type { ModelConfig } from './config.ts';
import type { Rng } from './rng.ts';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Offset in floats from the start of the parameter block. */
  offset: number;
  size: number;
  init: 'normal' | 'zeros' | 'ones';
  /** AdamW decays matrices only, not gains, biases or embeddings' positions. */
  decay: boolean;
}

export interface LayerParams {
  ln1g: number; ln1b: number; wqkv: number; bqkv: number; wo: number; bo: number;
  ln2g: number; ln2b: number; w1: number; b1: number; w2: number; b2: number;
}

/** Where each parameter sits inside one contiguous block (the same layout serves grads and Adam moments). */
export interface ParamLayout {
  specs: ParamSpec[];
  total: number;
  tokEmb: number;
  posEmb: number;
  layers: LayerParams[];
  lnfg: number;
  lnfb: number;
  /** Output projection [dModel, vocab]; -1 when tied to the token embedding. */
  head: number;
}

export function paramLayout(config: ModelConfig): ParamLayout {
  const specs: ParamSpec[] = [];
  let total = 0;
  const add = (name: string, shape: number[], init: ParamSpec['init'], decay: boolean): number => {
    const size = shape.reduce((a, b) => a * b, 1);
    const offset = total;
    specs.push({ name, shape, offset, size, init, decay });
    total += Math.ceil(size / 4) * 4;
    return offset;
  };
  const { vocabSize: V, contextLength: T, dModel: d, mlpRatio } = config;
  const tokEmb = add('tok_emb', [V, d], 'normal', false);
  const posEmb = add('pos_emb', [T, d], 'normal', false);
  const layers: LayerParams[] = [];
  for (let l = 0; l < config.nLayers; l++) {
    const p = `layer${l}.`;
    layers.push({
      ln1g: add(`${p}ln1.g`, [d], 'ones', false),
      ln1b: add(`${p}ln1.b`, [d], 'zeros', false),
      wqkv: add(`${p}attn.wqkv`, [d, 3 * d], 'normal', true),
      bqkv: add(`${p}attn.bqkv`, [3 * d], 'zeros', false),
      wo: add(`${p}attn.wo`, [d, d], 'normal', true),
      bo: add(`${p}attn.bo`, [d], 'zeros', false),
      ln2g: add(`${p}ln2.g`, [d], 'ones', false),
      ln2b: add(`${p}ln2.b`, [d], 'zeros', false),
      w1: add(`${p}mlp.w1`, [d, mlpRatio * d], 'normal', true),
      b1: add(`${p}mlp.b1`, [mlpRatio * d], 'zeros', false),
      w2: add(`${p}mlp.w2`, [mlpRatio * d, d], 'normal', true),
      b2: add(`${p}mlp.b2`, [d], 'zeros', false),
    });
  }
  const lnfg = add('lnf.g', [d], 'ones', false);
  const lnfb = add('lnf.b', [d], 'zeros', false);
  const head = config.tiedEmbeddings ? -1 : add('head', [d, V], 'normal', true);
  return { specs, total, tokEmb, posEmb, layers, lnfg, lnfb, head };
}

/** GPT-2 style: N(0, 0.02), residual output projections scaled down by depth. */
export function initParams(layout: ParamLayout, config: ModelConfig, target: Float32Array, rng: Rng): void {
  const residualScale = 0.02 / Math.sqrt(2 * config.nLayers);
  for (const spec of layout.specs) {
    const std = /attn\.wo|mlp\.w2/.test(spec.name) ? residualScale : 0.02;
    for (let i = 0; i < spec.size; i++) {
      target[spec.offset + i] = spec.init === 'normal' ? rng.normal() * std : spec.init === 'ones' ? 1 : 0;
    }
  }
}

export function countParams(layout: ParamLayout): number {
  return layout.specs.reduce((n, s) => n + s.size, 0);
}
