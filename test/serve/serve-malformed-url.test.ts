import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

test('a model id with a broken percent-escape is a 400 from the client, not a 500 from the server', async () => {
  const response = await fetch(`${server.url}/models/bad%E0%A4`);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { type: string; message: string } };
  expect(body.error.type).toBe('invalid_request_error');
  expect(body.error.message).toContain('bad%E0%A4');
});
