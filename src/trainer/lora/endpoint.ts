import { APIError } from 'openai';
import { z } from 'zod';
import type { OpenAIPolicyConfig, ServeConfig } from '../../config/schema.ts';
import { AbortedError, StarloopError, TrainerError } from '../../errors.ts';
import { connect, type Connection } from '../../openai/connection.ts';
import { describeFailure, isRetriedByClient } from '../../openai/errors.ts';
import { limitedFetch } from '../../openai/response-limit.ts';
import { childSignal } from '../../openai/signal.ts';
import { formatIssues } from '../../schema/format-issues.ts';
import { backoffMs, sleep } from '../../util/sleep.ts';

/**
 * One inference server that LoRA adapters are loaded into at runtime, in its own dialect:
 *
 * - vLLM (https://docs.vllm.ai/en/latest/features/lora/, "Dynamically serving LoRA Adapters"):
 *   `POST /v1/load_lora_adapter {lora_name, lora_path}` and `POST /v1/unload_lora_adapter
 *   {lora_name}`, enabled by `VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`; a loaded adapter is listed by
 *   `/v1/models` (`id` its name, `root` its path) and sampled as `model: <name>`. A second load of
 *   a loaded name is refused with a 400, an unload of an unknown one with a 404.
 * - SGLang (https://docs.sglang.io/docs/advanced_features/lora, "Dynamic LoRA loading"): the same
 *   bodies at the server root, `POST /load_lora_adapter` and `/unload_lora_adapter`, answering
 *   `{success, error_message, loaded_adapters}`; `/v1/models` lists loaded adapters, and the
 *   OpenAI-compatible API samples one as `model: <base-model>:<adapter-name>`.
 */
export interface LoraEndpoint {
  /** The base URL without credentials, for messages and the run's serve state. */
  readonly url: string;
  /** Adapter name → the path the server loaded it from (undefined where the server does not say). */
  adapters(signal?: AbortSignal): Promise<Map<string, string | undefined>>;
  /** Loads an adapter; a failure that left no answer is retried once the listing says it did not happen. */
  load(name: string, path: string, signal?: AbortSignal): Promise<void>;
  /** Unloads an adapter; `absent` when the server did not have it. */
  unload(name: string, signal?: AbortSignal): Promise<'unloaded' | 'absent'>;
}

/** What the next round sends as `model` to sample from adapter `name` of base model `base`. */
export function adapterModel(type: ServeConfig['type'], base: string, name: string): string {
  return type === 'sglang-lora' ? `${base}:${name}` : name;
}

const ModelList = z.looseObject({ data: z.array(z.looseObject({ id: z.string(), root: z.string().nullish() })) });
const SglangResult = z.looseObject({ success: z.boolean(), error_message: z.string().nullish() });

const loadAttempts = 4;

/** One LoRA endpoint per policy endpoint, with that endpoint's key. */
export function loraEndpoints(policy: OpenAIPolicyConfig, serve: ServeConfig, env: NodeJS.ProcessEnv): LoraEndpoint[] {
  const configured = policy.endpoints ?? [{ baseURL: policy.baseURL!, apiKeyEnv: undefined }];
  return configured.map((endpoint) => {
    const connection = connect(
      { baseURL: endpoint.baseURL, apiKeyEnv: endpoint.apiKeyEnv ?? policy.apiKeyEnv, env, maxRetries: 2, timeoutMs: serve.timeoutMs },
      (failure) => new TrainerError(failure.message, { code: 'TRAINER_AUTH' }),
    );
    return createLoraEndpoint({ ...connection, client: connection.client.withOptions({ fetch: keepErrorMessages(limitedFetch(maxAnswerBytes)) }) }, serve, endpoint.baseURL);
  });
}

/** A model list or a load's answer; far more than either needs. */
const maxAnswerBytes = 16 * 1024 * 1024;

/**
 * The OpenAI client reads an error's message only from `{error: {message}}`; vLLM's older
 * `{object: "error", message}`, SGLang's `{success: false, error_message}` and FastAPI's
 * `{detail}` would otherwise reach the user as "400 status code (no body)".
 */
function keepErrorMessages(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const message = record.error === undefined ? [record.message, record.error_message, record.detail].find((m) => typeof m === 'string' && m !== '') : undefined;
    const rewritten = message === undefined ? text : JSON.stringify({ error: { message } });
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(rewritten, { status: response.status, statusText: response.statusText, headers });
  };
}

function createLoraEndpoint(connection: Connection, serve: ServeConfig, baseURL: string): LoraEndpoint {
  const sglang = serve.type === 'sglang-lora';
  // SGLang's adapter routes sit at the server root, beside (not under) its OpenAI-compatible /v1.
  const route = (name: string) => (sglang ? `${new URL(baseURL).origin}${new URL(baseURL).pathname.replace(/\/v1\/?$/, '')}/${name}` : `/${name}`);
  const failed = (what: string, error: unknown, signal?: AbortSignal, name?: string): Error => {
    if (error instanceof StarloopError) return error;
    if (signal?.aborted) return new AbortedError('interrupted', { cause: error });
    const failure = describeFailure(connection, error, { timeoutMs: serve.timeoutMs, attempts: 1 });
    return new TrainerError(`${what} on ${connection.url}: ${failure.message}${name ? hint(error, sglang, name) : ''}`, { cause: failure.cause, code: 'TRAINER_SERVE_FAILED' });
  };
  const send = async <T>(signal: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const child = childSignal(signal);
    try {
      return await fn(child.signal);
    } finally {
      child.dispose();
    }
  };
  /** SGLang answers a refused load with 200 or 400 and `success: false`; the message is in `error_message`. */
  const checkResult = (what: string, body: unknown) => {
    if (!sglang) return;
    const result = SglangResult.safeParse(body);
    if (!result.success) throw new TrainerError(`${what} on ${connection.url}: malformed answer (${formatIssues(result.error).replace(/\n/g, '; ')})`, { code: 'TRAINER_SERVE_FAILED' });
    if (!result.data.success) throw new TrainerError(`${what} on ${connection.url}: ${result.data.error_message || 'refused'}`, { code: 'TRAINER_SERVE_FAILED' });
  };

  const endpoint: LoraEndpoint = {
    url: connection.url,
    async adapters(signal) {
      const body = await send(signal, (s) => connection.client.get('/models', { signal: s })).catch((error: unknown) => {
        throw failed('listing /v1/models', error, signal);
      });
      const list = ModelList.safeParse(body);
      if (!list.success) throw new TrainerError(`${connection.url}/models sent a malformed model list: ${formatIssues(list.error).replace(/\n/g, '; ')}`, { code: 'TRAINER_SERVE_FAILED' });
      return new Map(list.data.data.map((model) => [model.id, model.root ?? undefined]));
    },
    async load(name, path, signal) {
      const what = `loading LoRA adapter ${name} from ${path}`;
      for (let attempt = 1; ; attempt++) {
        try {
          const body = await send(signal, (s) => connection.client.post(route('load_lora_adapter'), { body: { lora_name: name, lora_path: path }, signal: s, maxRetries: 0 }));
          checkResult(what, body);
          return;
        } catch (error) {
          // A lost answer may hide a load that happened: the listing says, and a second load is never sent blindly.
          if (error instanceof StarloopError || !isRetriedByClient(error) || attempt >= loadAttempts || signal?.aborted) throw failed(what, error, signal, name);
          if ((await endpoint.adapters(signal)).get(name) === path) return;
          await sleep(backoffMs(attempt - 1, 1_000, 16_000), signal, 'interrupted');
        }
      }
    },
    async unload(name, signal) {
      try {
        const body = await send(signal, (s) => connection.client.post(route('unload_lora_adapter'), { body: { lora_name: name }, signal: s }));
        checkResult(`unloading LoRA adapter ${name}`, body);
        return 'unloaded';
      } catch (error) {
        // vLLM refuses an unknown name with a 404, SGLang with a 400: either way the listing decides.
        const refused = (error instanceof APIError && error.status !== undefined && error.status >= 400 && error.status < 500) || error instanceof TrainerError;
        if (refused && !(await endpoint.adapters(signal)).has(name)) return 'absent';
        throw failed(`unloading LoRA adapter ${name}`, error, signal);
      }
    },
  };
  return endpoint;
}

/** What to check when the server has no such route at all (a 404 about the adapter itself names it). */
function hint(error: unknown, sglang: boolean, name: string): string {
  if (!(error instanceof APIError) || error.status !== 404 || error.message.includes(name)) return '';
  return sglang
    ? ' (is SGLang started with --enable-lora?)'
    : ' (is vLLM started with --enable-lora and the environment variable VLLM_ALLOW_RUNTIME_LORA_UPDATING=True?)';
}
