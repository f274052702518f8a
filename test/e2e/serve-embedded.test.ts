import OpenAI from 'openai';
import { expect, test } from 'vitest';
import { startCli, tempDir } from './cli.ts';

test('starloop serve answers the openai client with the embedded model', async () => {
  const workDir = await tempDir();
  const server = startCli(['serve', '--port', '0', '--model-name', 'base-model', '--work-dir', workDir]);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /listening (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      server.done.then((result) => reject(new Error(`serve exited early: ${result.stderr}`)));
    });
    const client = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('base-model');
    const completion = await client.chat.completions.create({
      model: 'base-model',
      messages: [{ role: 'user', content: '12+34' }],
      n: 3,
      temperature: 1,
      max_tokens: 12,
    });
    expect(completion.choices).toHaveLength(3);
    for (const choice of completion.choices) expect(typeof choice.message.content).toBe('string');
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
  } finally {
    server.child.kill('SIGTERM');
    await server.done;
  }
});
