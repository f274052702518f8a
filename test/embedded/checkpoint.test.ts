import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/embedded/checkpoint.ts';
import { Network } from '../../src/embedded/network.ts';
import { CheckpointError } from '../../src/errors.ts';
import { fillRandom, TINY_CONFIG } from './helpers.ts';

function randomNet(tied = true): Network {
  const net = new Network({ ...TINY_CONFIG, tiedEmbeddings: tied });
  fillRandom(net.paramView(), 11, 0.5);
  return net;
}

describe('checkpoints', () => {
  it.each([true, false])('round-trip bit-exact with config and metadata (tied=%s)', async (tied) => {
    const dir = await mkdtemp(join(tmpdir(), 'starloop-ckpt-'));
    const net = randomNet(tied);
    const path = join(dir, 'a.ckpt');
    const digest = await saveCheckpoint(path, net, { note: 'hello' });
    const loaded = await loadCheckpoint(path);
    expect(loaded.digest).toBe(digest);
    expect(loaded.meta).toEqual({ note: 'hello' });
    expect(loaded.net.config).toEqual(net.config);
    expect(Buffer.from(loaded.net.paramView().buffer, loaded.net.paramView().byteOffset, loaded.net.paramView().byteLength))
      .toEqual(Buffer.from(net.paramView().buffer, net.paramView().byteOffset, net.paramView().byteLength));
    expect(encodeCheckpoint(loaded.net, loaded.meta)).toEqual(await readFile(path));
  });

  it('rejects a wrong magic, a newer version, a shape mismatch and truncation with CheckpointError', () => {
    const good = encodeCheckpoint(randomNet());
    const corrupt = (edit: (b: Buffer) => Buffer) => () => decodeCheckpoint(edit(Buffer.from(good)), 'x.ckpt');
    expect(corrupt((b) => (b.write('NOPE', 0, 'latin1'), b))).toThrow(/x\.ckpt: not a starloop checkpoint/);
    expect(corrupt((b) => (b.writeUInt32LE(99, 4), b))).toThrow(/version 99/);
    expect(corrupt((b) => b.subarray(0, b.length - 4))).toThrow(/bytes of weights/);
    const headerLength = good.readUInt32LE(8);
    const header = JSON.parse(good.toString('utf8', 12, 12 + headerLength));
    header.tensors[0].shape = [9, 9];
    const text = Buffer.from(JSON.stringify(header));
    const reshaped = Buffer.concat([good.subarray(0, 8), Buffer.alloc(4), text]);
    reshaped.writeUInt32LE(text.length, 8);
    expect(() => decodeCheckpoint(reshaped, 'y.ckpt')).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(reshaped, 'y.ckpt')).toThrow(/tensor 0 is tok_emb \[9x9\]/);
  });

  it('names the file when it cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'starloop-ckpt-'));
    await expect(loadCheckpoint(join(dir, 'missing.ckpt'))).rejects.toThrow(/cannot read checkpoint .*missing\.ckpt/);
    await writeFile(join(dir, 'junk.ckpt'), 'SLCK');
    await expect(loadCheckpoint(join(dir, 'junk.ckpt'))).rejects.toThrow(CheckpointError);
  });
});
