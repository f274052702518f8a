import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServedModels } from '../../src/serve/models.ts';
import { startServer, type RunningServer } from '../../src/serve/server.ts';
import { createScriptedPolicy } from '../helpers/scripted-policy.ts';

let server: RunningServer;
let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'starloop-serve-auth-'));
  const models = createServedModels({ 'scripted-base': { model: 'scripted-base' } }, (id) => createScriptedPolicy({ answers: {} }, id));
  server = await startServer({ port: 0, models, workDir, apiKey: 'sk-serve-key' });
});
afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

test('a request without the key is refused before its body is read or parsed', async () => {
  const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  expect(response.status).toBe(401);
  const body = (await response.json()) as { error: { code: string; type: string } };
  expect(body.error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
});

test('with the key, the same body is a 400 naming the JSON problem', async () => {
  const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-serve-key' }, body: '{not json' });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
});
