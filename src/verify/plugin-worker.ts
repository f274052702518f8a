/**
 * The worker thread one plug-in verifier runs in. It imports the module, answers verify calls
 * and option parses, and sends back only plain data with the verdict's text already capped.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { AnyVerifier } from './define.ts';
import { importVerifier } from './plugin.ts';
import type { FromWorker, OptionsRef, ParseReply, ParseRequest, ToWorker } from './plugin-protocol.ts';
import { capReason, capVerdictText } from './verdict-size.ts';

const { file, parsePort, parseDone } = workerData as { file: string; parsePort: MessagePort; parseDone: SharedArrayBuffer };
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

function messageOf(error: unknown): string {
  return capReason(error instanceof Error ? error.message : String(error));
}

/** A field of the verifier's return value as data: strings and numbers as they are, anything else in words. */
function asData(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return typeof value === 'string' ? capReason(value) : value;
  try {
    return capReason(String(value));
  } catch {
    return `[unprintable ${typeof value}]`;
  }
}

function transferableOutcome(outcome: unknown): unknown {
  if (outcome === null || typeof outcome !== 'object') return asData(outcome);
  const { status, score, reason, extracted } = outcome as Record<string, unknown>;
  const text = typeof reason === 'string' && (extracted === undefined || typeof extracted === 'string') ? capVerdictText(reason, extracted) : { reason: asData(reason), extracted: asData(extracted) };
  return { status: asData(status), score: asData(score), ...text };
}

function replyToParses(answer: (request: ParseRequest) => ParseReply): void {
  parsePort.on('message', (request: ParseRequest) => {
    let reply: ParseReply;
    try {
      reply = answer(request);
    } catch (error) {
      reply = { id: request.id, failed: `the options schema threw: ${messageOf(error)}` };
    }
    parsePort.postMessage(reply);
    // The main thread waits on this word (Atomics.wait) until the reply is posted.
    const done = new Int32Array(parseDone);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  });
}

const verifier = await importVerifier(file).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  replyToParses((request) => ({ id: request.id, failed: message }));
  send({ type: 'load-failed', message });
  return undefined;
});
if (verifier) serve(verifier);

function serve(verifier: AnyVerifier): void {
  const parsed = new Map<number, unknown>();
  let nextToken = 0;

  replyToParses(({ id, raw }) => {
    const result = verifier.options.safeParse(raw);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message }));
      return { id, success: false, issues };
    }
    const token = nextToken++;
    parsed.set(token, result.data);
    try {
      return { id, success: true, token, data: structuredClone(result.data), cloned: true };
    } catch {
      return { id, success: true, token, data: undefined, cloned: false };
    }
  });

  function optionsFor(ref: OptionsRef): unknown {
    if ('value' in ref) return ref.value;
    if (parsed.has(ref.token)) return parsed.get(ref.token);
    // A worker started after the one that parsed these options: parse them again, as the first one did.
    const result = verifier.options.safeParse(ref.raw);
    if (!result.success) throw new Error('options that passed the schema before fail it now');
    parsed.set(ref.token, result.data);
    return result.data;
  }

  const running = new Map<number, AbortController>();

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'verify': {
        const controller = new AbortController();
        running.set(message.id, controller);
        Promise.resolve()
          .then(() => verifier.verify(message.problem, message.candidate, optionsFor(message.options), { signal: controller.signal, timeoutMs: message.timeoutMs }))
          .then(
            (outcome) => send({ type: 'result', id: message.id, outcome: transferableOutcome(outcome) }),
            (error: unknown) => send({ type: 'threw', id: message.id, message: messageOf(error) }),
          )
          .finally(() => running.delete(message.id));
        return;
      }
      case 'abort':
        running.get(message.id)?.abort();
        return;
      case 'ping':
        send({ type: 'pong', id: message.id });
        return;
      case 'dispose':
        Promise.resolve()
          .then(() => verifier.dispose?.())
          .then(
            () => send({ type: 'disposed', id: message.id }),
            (error: unknown) => send({ type: 'disposed', id: message.id, message: messageOf(error) }),
          );
        return;
    }
  });

  // Calls wait until the plug-in counts as loaded, so its warm-up is never inside a call's time limit.
  Promise.resolve()
    .then(() => verifier.warmUp?.())
    .then(
      () =>
        send({
          type: 'loaded',
          meta: { id: verifier.id, description: verifier.description, version: verifier.version, ...(verifier.timeoutMs === undefined ? {} : { timeoutMs: verifier.timeoutMs }) },
        }),
      (error: unknown) => send({ type: 'load-failed', message: `verifier '${verifier.id}' (${file}): warmUp() failed: ${messageOf(error)}` }),
    );
}
