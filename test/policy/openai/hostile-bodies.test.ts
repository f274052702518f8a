import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic } from '../../helpers/openai-policy-setup.ts';

const probe = join(import.meta.dirname, 'rss-probe.ts');

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

interface ProbeResult {
  peakRssMb: number;
  lengths: number[];
  error?: string;
}

/** Runs the policy in its own process against the test server and reads back its peak memory. */
async function sampleInChild(n: number, maxTokens: number): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe, server.url, String(n), String(maxTokens)], { maxBuffer: 1024 * 1024, timeout: 100_000, killSignal: 'SIGKILL' });
  return JSON.parse(stdout) as ProbeResult;
}

test('a baseline sample, for the memory a probe process needs anyway', async () => {
  const result = await sampleInChild(4, 512);
  expect(result.error).toBeUndefined();
  expect(result.lengths).toHaveLength(4);
  console.log(`probe peak RSS, honest server: ${result.peakRssMb} MB`);
}, 60_000);

test('choices of 50 MB each (max_tokens 512) are refused as they stream in; the retry gets the real answer', async () => {
  server.requests.length = 0;
  server.faults.set({ hugeChoices: { times: 1, bytesPerChoice: 50 * 1024 * 1024 } });
  const result = await sampleInChild(4, 512);
  console.log(`probe peak RSS, 4 × 50 MB choices: ${result.peakRssMb} MB`);
  expect(result.error).toBeUndefined();
  expect(result.lengths).toHaveLength(4);
  expect(Math.max(...result.lengths)).toBeLessThan(1_000);
  expect(server.requests.map((r) => r.fault ?? 'ok')).toEqual(['hugeChoices', 'ok']);
  expect(result.peakRssMb).toBeLessThan(300);
}, 120_000);

test('a gzip bomb (1 KB on the wire per MiB, 2 GiB inflated) is cut off once inflated past the limit', async () => {
  server.requests.length = 0;
  server.faults.set({ gzipBomb: { times: 1, decompressedBytes: 2048 * 1024 * 1024 } });
  const result = await sampleInChild(1, 512);
  console.log(`probe peak RSS, gzip bomb: ${result.peakRssMb} MB`);
  expect(result.error).toBeUndefined();
  expect(result.lengths).toHaveLength(1);
  expect(server.requests.map((r) => r.fault ?? 'ok')).toEqual(['gzipBomb', 'ok']);
  expect(result.peakRssMb).toBeLessThan(300);
}, 120_000);
