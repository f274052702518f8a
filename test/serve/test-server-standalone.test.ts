import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from 'vitest';

test('the test server runs as a process, prints its URL and answers from a problem file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-server-main-'));
  const answers = join(dir, 'problems.jsonl');
  await writeFile(answers, `${JSON.stringify({ id: 'p1', prompt: 'What is 6 * 7?', answer: '42' })}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/openai-server-main.ts', '--port', '0', '--answers', answers], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
    const url = line.match(/^listening (http:\/\/127\.0\.0\.1:\d+\/v1)$/)?.[1];
    expect(url).toBeDefined();
    const response = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'scripted-base', messages: [{ role: 'user', content: 'What is 6 * 7?\n(Hint: the answer is 42.)' }], n: 20, seed: 3 }),
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices.filter((c) => c.message.content.endsWith('The answer is 42.')).length).toBeGreaterThan(12);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
});
