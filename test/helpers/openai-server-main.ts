/**
 * The scripted OpenAI test server as a process, for CLI end-to-end tests and manual use:
 *   node --import tsx test/helpers/openai-server-main.ts --port 0 --answers problems.jsonl [--answers more.jsonl]... [--model ID]... [--api-key KEY] [--train-ms MS] [--delay-ms MS] [--writer]
 * `--answers` is a problem file (one Problem per line: `prompt` text and `answer`); `--writer` answers
 * `starloop generate`'s writing prompts (see scripted-writer.ts). Prints
 * `listening http://127.0.0.1:PORT/v1` on stdout once it accepts requests; SIGTERM/SIGINT stop it.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { problemText, Problem } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer } from './openai-server.ts';

const Args = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  answers: z.array(z.string().min(1)).optional(),
  model: z.array(z.string().min(1)).optional(),
  'api-key': z.string().min(1).optional(),
  'train-ms': z.coerce.number().int().nonnegative().optional(),
  'delay-ms': z.coerce.number().int().nonnegative().optional(),
  writer: z.boolean().optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      answers: { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      'api-key': { type: 'string' },
      'train-ms': { type: 'string' },
      'delay-ms': { type: 'string' },
      writer: { type: 'boolean' },
    },
  });
  const args = Args.parse(values);
  const answers: Record<string, string> = {};
  for (const file of args.answers ?? []) {
    for (const problem of await readJsonl(file, Problem)) {
      if (problem.answer !== undefined) answers[problemText(problem)] = problem.answer;
    }
  }
  const server = await startOpenAIServer({
    port: args.port,
    answers,
    ...(args.model ? { models: args.model } : {}),
    faults: { ...(args['api-key'] ? { apiKey: args['api-key'] } : {}), ...(args['delay-ms'] ? { delayMs: args['delay-ms'] } : {}) },
    ...(args['train-ms'] !== undefined ? { trainMs: args['train-ms'] } : {}),
    ...(args.writer ? { writer: true } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`listening ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`openai-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
