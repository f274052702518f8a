import { randomBytes, randomInt } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Generation, GenerationRequest, Policy, SamplingParams } from '../policy/policy.ts';
import { StarloopError } from '../errors.ts';
import { ChatMessage } from '../schema/problem.ts';
import { notFound, parseRequest, sendJson, ServeError, startEventStream, unixSeconds } from './http.ts';
import { checkChoiceCount, checkPromptSize, type ServeLimits } from './limits.ts';
import type { ServedModels } from './models.ts';

// Unknown fields (logprobs, top_k, user, ...) are accepted and ignored, as vLLM does.
const SamplingFields = {
  model: z.string().min(1),
  n: z.number().int().min(1).max(128).default(1),
  temperature: z.number().min(0).max(5).default(1),
  top_p: z.number().gt(0).max(1).default(1),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  stream: z.boolean().default(false),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
};

export const CompletionBody = z.looseObject({
  ...SamplingFields,
  prompt: z.union([z.string(), z.array(z.string()).min(1)]),
  max_tokens: z.number().int().positive().default(16),
});
export type CompletionBody = z.infer<typeof CompletionBody>;

export const ChatCompletionBody = z.looseObject({
  ...SamplingFields,
  // Chat content may be a list of text parts; only text is served.
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['system', 'developer', 'user', 'assistant']),
        content: z.union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))]),
      }),
    )
    .min(1),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});
export type ChatCompletionBody = z.infer<typeof ChatCompletionBody>;

const defaultChatMaxTokens = 512;

/** Chat turns as plain text, for policies that read `text` (completion-style models). */
export function renderChatAsText(messages: ChatMessage[]): string {
  return messages.map((m) => m.content).join('\n\n');
}

function toChatMessages(body: ChatCompletionBody): ChatMessage[] {
  return body.messages.map((m) =>
    ChatMessage.parse({
      role: m.role === 'developer' ? 'system' : m.role,
      content: typeof m.content === 'string' ? m.content : m.content.map((part) => part.text).join(''),
    }),
  );
}

function samplingParams(body: z.infer<z.ZodObject<typeof SamplingFields>>, maxTokens: number): SamplingParams {
  const stop = body.stop == null ? undefined : Array.isArray(body.stop) ? body.stop : [body.stop];
  return {
    temperature: body.temperature,
    topP: body.top_p,
    maxTokens,
    ...(stop && stop.length > 0 ? { stop } : {}),
    // Without a seed each call must differ, as it does on any sampling server.
    seed: body.seed ?? randomInt(0, 2 ** 31),
  };
}

async function resolveModel(models: ServedModels, id: string): Promise<Policy> {
  const policy = await models.get(id);
  if (!policy) throw notFound(`The model '${id}' does not exist (served: ${models.list().join(', ') || 'none'})`);
  return policy;
}

interface Choice {
  index: number;
  generation: Generation;
}

/** Runs every prompt × n through the policy; choice index = prompt position × n + sample index. */
async function* sampleChoices(policy: Policy, prompts: GenerationRequest[], params: SamplingParams, signal: AbortSignal): AsyncGenerator<Choice> {
  const n = prompts[0].indices.length;
  const position = new Map(prompts.map((p, i) => [p.key, i]));
  try {
    for await (const generation of policy.generate(prompts, params, { signal })) {
      yield { index: position.get(generation.key)! * n + generation.index, generation };
    }
  } catch (error) {
    // The client's mistake, as OpenAI reports it: a 400 the client must not retry, not a 500.
    if (error instanceof StarloopError && error.code === 'POLICY_PROMPT_TOO_LONG') {
      const hint = 'the embedded model is a tiny one trained on reversed-digit addition: send it prompts of that task (examples/embedded-serve.yaml)';
      throw new ServeError(400, 'invalid_request_error', `${error.message}; ${hint}`, 'context_length_exceeded');
    }
    throw error;
  }
}

function usageOf(choices: Choice[]) {
  // Each prompt is billed once however many samples it produced.
  const promptTokens = new Map<string, number>();
  let completionTokens = 0;
  for (const { generation } of choices) {
    promptTokens.set(generation.key, Math.max(promptTokens.get(generation.key) ?? 0, generation.usage.promptTokens));
    completionTokens += generation.usage.completionTokens;
  }
  const prompt = [...promptTokens.values()].reduce((a, b) => a + b, 0);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
}

const requestId = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

interface Shape {
  id: string;
  object: string;
  chunkObject: string;
  choice(choice: Choice): Record<string, unknown>;
  delta(choice: Choice): Record<string, unknown>;
}

async function respond(
  response: ServerResponse,
  policy: Policy,
  body: { model: string; stream: boolean; stream_options?: { include_usage?: boolean } | null },
  prompts: GenerationRequest[],
  params: SamplingParams,
  shape: Shape,
  signal: AbortSignal,
): Promise<void> {
  const created = unixSeconds();
  const head = { id: shape.id, created, model: body.model };
  const choices: Choice[] = [];
  if (!body.stream) {
    for await (const choice of sampleChoices(policy, prompts, params, signal)) choices.push(choice);
    choices.sort((a, b) => a.index - b.index);
    sendJson(response, 200, { ...head, object: shape.object, choices: choices.map(shape.choice), usage: usageOf(choices) });
    return;
  }
  // The first choice is awaited before the stream starts, so a request the policy refuses still
  // gets its error status instead of a stream cut short.
  const sampled = sampleChoices(policy, prompts, params, signal)[Symbol.asyncIterator]();
  let next = await sampled.next();
  const stream = startEventStream(response);
  for (; !next.done; next = await sampled.next()) {
    choices.push(next.value);
    stream.send({ ...head, object: shape.chunkObject, choices: [shape.delta(next.value)] });
  }
  if (body.stream_options?.include_usage) stream.send({ ...head, object: shape.chunkObject, choices: [], usage: usageOf(choices) });
  stream.end();
}

export async function handleCompletion(response: ServerResponse, models: ServedModels, raw: unknown, limits: ServeLimits, signal: AbortSignal): Promise<void> {
  const body = parseRequest(CompletionBody, raw);
  const texts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
  checkPromptSize(texts, limits);
  checkChoiceCount(texts.length, body.n, limits);
  const policy = await resolveModel(models, body.model);
  const indices = Array.from({ length: body.n }, (_, i) => i);
  const prompts = texts.map((text, i) => ({ key: String(i), text, messages: [{ role: 'user' as const, content: text }], indices }));
  await respond(response, policy, body, prompts, samplingParams(body, body.max_tokens), {
    id: requestId('cmpl'),
    object: 'text_completion',
    chunkObject: 'text_completion',
    choice: ({ index, generation }) => ({ index, text: generation.text, finish_reason: generation.finishReason, logprobs: null }),
    delta: ({ index, generation }) => ({ index, text: generation.text, finish_reason: generation.finishReason, logprobs: null }),
  }, signal);
}

export async function handleChatCompletion(response: ServerResponse, models: ServedModels, raw: unknown, limits: ServeLimits, signal: AbortSignal): Promise<void> {
  const body = parseRequest(ChatCompletionBody, raw);
  checkPromptSize(body.messages.flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.map((part) => part.text))), limits);
  checkChoiceCount(1, body.n, limits);
  const policy = await resolveModel(models, body.model);
  const messages = toChatMessages(body);
  const indices = Array.from({ length: body.n }, (_, i) => i);
  const prompts = [{ key: '0', messages, text: renderChatAsText(messages), indices }];
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? defaultChatMaxTokens;
  await respond(response, policy, body, prompts, samplingParams(body, maxTokens), {
    id: requestId('chatcmpl'),
    object: 'chat.completion',
    chunkObject: 'chat.completion.chunk',
    choice: ({ index, generation }) => ({
      index,
      message: { role: 'assistant', content: generation.text, refusal: null },
      finish_reason: generation.finishReason,
      logprobs: null,
    }),
    delta: ({ index, generation }) => ({
      index,
      delta: { role: 'assistant', content: generation.text },
      finish_reason: generation.finishReason,
      logprobs: null,
    }),
  }, signal);
}
