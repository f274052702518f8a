import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CheckpointError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { ModelConfig } from './config.ts';
import { Network } from './network.ts';
import { paramLayout } from './params.ts';
import type { GemmKind } from './gemm.ts';

/**
 * File layout: "SLCK" magic, u32 format version, u32 header length, a JSON header (config, tensor
 * names and shapes, free-form metadata), zero padding to a 4-byte boundary, then each tensor's
 * float32 values (little-endian) in header order.
 */
const MAGIC = 'SLCK';
export const CHECKPOINT_VERSION = 1;

const Header = z
  .object({
    config: ModelConfig,
    tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) }).strict()),
    meta: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export interface LoadedCheckpoint {
  net: Network;
  meta: Record<string, unknown>;
  /** First 12 hex digits of the file's SHA-256: names the weights in model ids. */
  digest: string;
}

export function encodeCheckpoint(net: Network, meta: Record<string, unknown> = {}): Buffer {
  const tensors = net.layout.specs.map((s) => ({ name: s.name, shape: s.shape }));
  const header = Buffer.from(JSON.stringify({ config: net.config, tensors, meta }), 'utf8');
  const prefix = 12 + header.length;
  const padded = Math.ceil(prefix / 4) * 4;
  const floats = net.layout.specs.reduce((n, s) => n + s.size, 0);
  const out = Buffer.alloc(padded + floats * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(CHECKPOINT_VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  const params = net.paramView();
  let at = padded;
  for (const spec of net.layout.specs) {
    for (let i = 0; i < spec.size; i++, at += 4) out.writeFloatLE(params[spec.offset + i], at);
  }
  return out;
}

export function decodeCheckpoint(bytes: Buffer, source: string, gemmKind: GemmKind = 'auto'): LoadedCheckpoint {
  const fail = (why: string): never => {
    throw new CheckpointError(`${source}: ${why}`);
  };
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== MAGIC) fail('not a starloop checkpoint (bad magic bytes)');
  const version = bytes.readUInt32LE(4);
  if (version !== CHECKPOINT_VERSION) fail(`checkpoint format version ${version}, this starloop reads version ${CHECKPOINT_VERSION}`);
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) fail('truncated header');
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength));
  } catch (error) {
    fail(`header is not JSON (${(error as Error).message})`);
  }
  const parsed = Header.safeParse(raw);
  if (!parsed.success) fail(`bad header: ${formatIssues(parsed.error)}`);
  const header = parsed.data!;
  const layout = paramLayout(header.config);
  if (header.tensors.length !== layout.specs.length) {
    fail(`${header.tensors.length} tensors, the config needs ${layout.specs.length}`);
  }
  layout.specs.forEach((spec, i) => {
    const t = header.tensors[i];
    if (t.name !== spec.name || t.shape.join('x') !== spec.shape.join('x')) {
      fail(`tensor ${i} is ${t.name} [${t.shape.join('x')}], expected ${spec.name} [${spec.shape.join('x')}]`);
    }
  });
  const start = Math.ceil((12 + headerLength) / 4) * 4;
  const floats = layout.specs.reduce((n, s) => n + s.size, 0);
  if (bytes.length !== start + floats * 4) fail(`${bytes.length - start} bytes of weights, expected ${floats * 4}`);
  const net = new Network(header.config, gemmKind);
  const params = net.paramView();
  let at = start;
  for (const spec of layout.specs) {
    for (let i = 0; i < spec.size; i++, at += 4) params[spec.offset + i] = bytes.readFloatLE(at);
  }
  return { net, meta: header.meta, digest: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}

export async function loadCheckpoint(path: string, gemmKind: GemmKind = 'auto'): Promise<LoadedCheckpoint> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeCheckpoint(bytes, path, gemmKind);
}

/** Writes atomically (temp file + rename) so a killed run never leaves half a checkpoint. */
export async function saveCheckpoint(path: string, net: Network, meta: Record<string, unknown> = {}): Promise<string> {
  const bytes = encodeCheckpoint(net, meta);
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, bytes);
  await rename(temp, path);
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}
