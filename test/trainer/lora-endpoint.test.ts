import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { OpenAIPolicyConfig, ServeConfig } from '../../src/config/schema.ts';
import { TrainerError } from '../../src/errors.ts';
import { adapterModel, loraEndpoints } from '../../src/trainer/lora/endpoint.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';

const servers: OpenAITestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function server(options: Parameters<typeof startOpenAIServer>[0] = {}): Promise<OpenAITestServer> {
  const started = await startOpenAIServer({ models: ['base-model'], answers: { 'What is 2 + 2?': '4' }, ...options });
  servers.push(started);
  return started;
}

function endpointFor(url: string, type: 'vllm-lora' | 'sglang-lora') {
  const policy = OpenAIPolicyConfig.parse({ type: 'openai', baseURL: url, model: 'base-model' });
  return loraEndpoints(policy, ServeConfig.parse({ type }), {})[0];
}

const chat = (url: string, model: string) =>
  fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'What is 2 + 2?' }], max_tokens: 16 }),
  });

test('the test server answers as vLLM does: an unknown adapter is a 404, a loaded one is listed with its path and sampled, a second load of a name is refused', async () => {
  const s = await server();
  const adapter = await mkdtemp(join(tmpdir(), 'starloop-adapter-'));
  expect((await chat(s.url, 'star-r1')).status).toBe(404);

  const endpoint = endpointFor(s.url, 'vllm-lora');
  await endpoint.load('star-r1', adapter);
  expect((await endpoint.adapters()).get('star-r1')).toBe(adapter);
  expect(adapterModel('vllm-lora', 'base-model', 'star-r1')).toBe('star-r1');
  const sampled = await chat(s.url, 'star-r1');
  expect(sampled.status).toBe(200);
  expect(((await sampled.json()) as { model: string }).model).toBe('star-r1');

  const again = endpoint.load('star-r1', adapter);
  await expect(again).rejects.toThrow(TrainerError);
  await expect(again).rejects.toThrow(/loading LoRA adapter star-r1 .* on http:\/\/127\.0\.0\.1:\d+\/v1: .*already been loaded/);
  expect(await endpoint.unload('star-r1')).toBe('unloaded');
  expect(await endpoint.unload('star-r1')).toBe('absent');
  expect((await chat(s.url, 'star-r1')).status).toBe(404);
});

test('a load whose answer was lost is not sent again when the server lists the adapter', async () => {
  const s = await server();
  const adapter = await mkdtemp(join(tmpdir(), 'starloop-adapter-'));
  s.faults.set({ lostResponse: { times: 1 }, paths: ['/v1/load_lora_adapter'] });
  await endpointFor(s.url, 'vllm-lora').load('star-r1', adapter);
  expect(s.requests.filter((r) => r.path === '/v1/load_lora_adapter')).toHaveLength(1);
  expect(s.adapters.get('star-r1')).toBe(adapter);
});

test('SGLang: adapters load at the server root and are sampled as <base>:<adapter>; a refused load names the endpoint and SGLang\'s message', async () => {
  const s = await server({ lora: 'sglang' });
  const adapter = await mkdtemp(join(tmpdir(), 'starloop-adapter-'));
  const endpoint = endpointFor(s.url, 'sglang-lora');
  await endpoint.load('star-r1', adapter);
  expect(s.requests.map((r) => r.path)).toContain('/load_lora_adapter');
  expect((await endpoint.adapters()).get('star-r1')).toBe(adapter);
  expect((await chat(s.url, adapterModel('sglang-lora', 'base-model', 'star-r1'))).status).toBe(200);
  await expect(endpoint.load('star-r2', join(adapter, 'missing'))).rejects.toThrow(new RegExp(`on ${s.url}: .*No adapter found for ${join(adapter, 'missing')}`));
  expect(await endpoint.unload('star-r1')).toBe('unloaded');
  expect(await endpoint.unload('star-r1')).toBe('absent');
});

test('a vLLM started without runtime LoRA updating: the error says what to switch on', async () => {
  const s = await server({ lora: false });
  const adapter = await mkdtemp(join(tmpdir(), 'starloop-adapter-'));
  await expect(endpointFor(s.url, 'vllm-lora').load('star-r1', adapter)).rejects.toThrow(/on http:\/\/127\.0\.0\.1:\d+\/v1: .*404.*VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/);
});
