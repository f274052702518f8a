import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { isLoopback } from '../openai/connection.ts';
import { createEmbeddedPolicy } from '../policy/embedded.ts';
import { DEFAULT_SERVE_LIMITS } from '../serve/limits.ts';
import { createServedModels } from '../serve/models.ts';
import { startServer } from '../serve/server.ts';
import { createEmbeddedTrainer } from '../trainer/embedded.ts';
import { checkpointFlag } from './checkpoint-flag.ts';
import { number, port, positiveInteger } from './options.ts';

interface ServeFlags {
  checkpoint?: string;
  port: number;
  host: string;
  modelName: string;
  workDir: string;
  fineTuning: boolean;
  apiKeyEnv?: string;
  maxBodyMb: number;
  maxPromptChars: number;
}

function isLoopbackHost(host: string): boolean {
  try {
    return isLoopback(`http://${host.includes(':') ? `[${host}]` : host}`);
  } catch {
    return false;
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the embedded model over the OpenAI API (models, completions, chat completions, files, fine-tuning jobs)')
    .option('--checkpoint <file>', 'embedded checkpoint to serve (default: the shipped base model)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', port('--port'), 8000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--model-name <id>', 'model id clients ask for', 'starloop-embedded')
    .option('--work-dir <dir>', 'where uploaded files and fine-tuned checkpoints are kept', 'runs/serve')
    .option('--no-fine-tuning', 'do not offer /v1/files and /v1/fine_tuning/jobs')
    .option('--api-key-env <var>', 'require clients to send the key held in this environment variable (needed with a --host other machines reach)')
    .option('--max-body-mb <n>', 'largest request body read, JSON or file upload, in MiB', number('--max-body-mb', 0.001, 4096), DEFAULT_SERVE_LIMITS.maxBodyBytes / 2 ** 20)
    .option('--max-prompt-chars <n>', 'most prompt characters in one request', positiveInteger('--max-prompt-chars'), DEFAULT_SERVE_LIMITS.maxPromptChars)
    .addHelpText('after', `
The fine-tuning endpoints train the embedded model in-process; a finished job's model is served as
ft:<model-name>:starloop:<job-id>, so 'train: { type: openai }' configs work against this server.

Requests are refused before they are parsed when their body is over --max-body-mb (413), and
before they are tokenized when their prompt is over --max-prompt-chars or the model's context (400).
The key is read from an environment variable, never from the command line; a --host other than a
loopback address requires one.

Examples:
  $ starloop serve --port 8000 --model-name base-model
  $ SERVE_KEY=$(openssl rand -hex 16) starloop serve --host 0.0.0.0 --api-key-env SERVE_KEY
  $ curl http://127.0.0.1:8000/v1/models`)
    .action(async (flags: ServeFlags) => {
      let apiKey: string | undefined;
      if (flags.apiKeyEnv) {
        apiKey = process.env[flags.apiKeyEnv];
        if (!apiKey) throw new ConfigError(`--api-key-env ${flags.apiKeyEnv}: that environment variable is not set`);
      } else if (!isLoopbackHost(flags.host)) {
        throw new ConfigError(`--host ${flags.host} lets other machines connect: give --api-key-env VAR, the variable holding the key clients must send`);
      }
      const checkpoint = flags.checkpoint === undefined ? undefined : await checkpointFlag(flags.checkpoint);
      const workDir = resolve(flags.workDir);
      await mkdir(workDir, { recursive: true });
      const models = createServedModels(
        { [flags.modelName]: { model: flags.modelName, ...(checkpoint ? { checkpoint } : {}) } },
        (_id, ref) => createEmbeddedPolicy({ type: 'embedded' }, ref),
      );
      // Loaded before listening: a model that cannot load stops the command, instead of failing every request.
      await models.get(flags.modelName);
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        models,
        workDir,
        ...(flags.fineTuning ? { trainer: createEmbeddedTrainer({ type: 'embedded', restartFromBase: true }) } : {}),
        ...(apiKey ? { apiKey } : {}),
        limits: { maxBodyBytes: Math.round(flags.maxBodyMb * 2 ** 20), maxPromptChars: flags.maxPromptChars },
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`listening ${server.url} (model ${flags.modelName})\n`);
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
