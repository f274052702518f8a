import { statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ServedModels } from '../../src/serve/models.ts';
import type { IncomingRequest } from '../../src/serve/server.ts';

/**
 * Runtime LoRA loading as vLLM and SGLang answer it, for the test server (see src/trainer/lora/endpoint.ts
 * for the documentation each follows):
 *
 * - `vllm`: `POST /v1/load_lora_adapter {lora_name, lora_path}` → 200 `Success: …` as text; a name
 *   already loaded is a 400, a path that is not a directory a 404 (`No adapter found`);
 *   `POST /v1/unload_lora_adapter {lora_name}` → 200, or 404 for an unknown name.
 * - `sglang`: the same at `/load_lora_adapter` and `/unload_lora_adapter`, answering
 *   `{success, error_message, loaded_adapters}` (400 when `success` is false), and sampling an
 *   adapter as `model: "<base>:<adapter>"`.
 *
 * Either way `/v1/models` lists each adapter with `root` (its path) and `parent` (the base), and a
 * request for a model that is neither served nor loaded is the server's usual 404.
 */
export type LoraDialect = 'vllm' | 'sglang';

export interface LoraEndpoints {
  /** Adapters loaded now: name → path. */
  adapters: Map<string, string>;
  /** Answers the LoRA routes (and `/v1/models`); undefined leaves the request to the server. */
  handle(request: IncomingRequest, response: ServerResponse): Promise<'handled' | undefined>;
}

export function createLoraEndpoints(dialect: LoraDialect, models: ServedModels, bases: readonly string[]): LoraEndpoints {
  const adapters = new Map<string, string>();
  const prefix = dialect === 'vllm' ? '/v1' : '';

  const text = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(body);
  };
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, message: string) =>
    dialect === 'vllm'
      ? json(response, status, { error: { message, type: status === 404 ? 'NotFoundError' : 'BadRequestError', param: null, code: status } })
      : json(response, 400, { success: false, error_message: message, loaded_adapters: Object.fromEntries(adapters) });
  const ok = (response: ServerResponse, message: string) =>
    dialect === 'vllm' ? text(response, 200, message) : json(response, 200, { success: true, error_message: '', loaded_adapters: Object.fromEntries(adapters) });

  async function load(body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const name = body.lora_name;
    const path = body.lora_path;
    if (typeof name !== 'string' || !name || typeof path !== 'string' || !path) return fail(response, 400, "Both 'lora_name' and 'lora_path' must be provided.");
    if (adapters.has(name)) return fail(response, 400, `The lora adapter '${name}' has already been loaded.`);
    if (!isDirectory(path)) return fail(response, 404, `Loading lora ${name} failed: No adapter found for ${path}`);
    adapters.set(name, path);
    models.add(name, { model: name, checkpoint: path });
    ok(response, `Success: LoRA adapter '${name}' added successfully.`);
  }

  async function unload(body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const name = body.lora_name;
    if (typeof name !== 'string' || !adapters.has(name)) return fail(response, 404, `The lora adapter '${String(name)}' cannot be found.`);
    adapters.delete(name);
    await models.remove(name);
    ok(response, `Success: LoRA adapter '${name}' removed successfully.`);
  }

  return {
    adapters,
    async handle(request, response) {
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
      const route = `${request.method} ${request.path}`;
      if (route === `POST ${prefix}/load_lora_adapter`) {
        await load(body, response);
        return 'handled';
      }
      if (route === `POST ${prefix}/unload_lora_adapter`) {
        await unload(body, response);
        return 'handled';
      }
      if (route === 'GET /v1/models') {
        const data = [
          ...models.list().filter((id) => !adapters.has(id)).map((id) => ({ id, object: 'model', created: 0, owned_by: dialect, root: id, parent: null })),
          ...[...adapters].map(([id, root]) => ({ id, object: 'model', created: 0, owned_by: dialect, root, parent: bases[0] })),
        ];
        json(response, 200, { object: 'list', data });
        return 'handled';
      }
      // SGLang's OpenAI-compatible API names an adapter as `<base>:<adapter>`.
      if (dialect === 'sglang' && typeof body.model === 'string' && body.model.includes(':')) {
        const [base, adapter] = [body.model.slice(0, body.model.lastIndexOf(':')), body.model.slice(body.model.lastIndexOf(':') + 1)];
        if (bases.includes(base) && adapters.has(adapter)) body.model = adapter;
      }
      return undefined;
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
