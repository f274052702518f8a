import { VerifierError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';
import type { Problem } from '../schema/problem.ts';
import { VerdictStatus, type Verdict } from '../schema/verdict.ts';
import type { AnyVerifier } from './define.ts';
import { verifierReady } from './plugin-host.ts';
import { withTimeLimit } from './time-limit.ts';
import { capVerdictText } from './verdict-size.ts';

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

/** Parses merged options with the verifier's schema; a bad option is a user error, not a verdict. */
export function parseVerifierOptions(verifier: AnyVerifier, options: Record<string, unknown> = {}, where = ''): unknown {
  const parsed = verifier.options.safeParse(options);
  if (!parsed.success) {
    throw new VerifierError(
      'VERIFIER_OPTIONS',
      `invalid options for verifier '${verifier.id}'${where ? ` (${where})` : ''}:\n${formatIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * Runs one verification with a time limit. It never throws: a crash or time-out becomes an
 * `error` verdict, so a broken verifier can never pass a candidate.
 */
export async function runVerifier(
  verifier: AnyVerifier,
  problem: Problem,
  candidate: string,
  parsedOptions: unknown,
  timeoutMs = verifier.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
): Promise<Verdict> {
  let started = performance.now();
  try {
    // A plug-in whose worker is (re)loading is waited for first: loading is not the call's time.
    await verifierReady(verifier);
    started = performance.now();
    const limited = await withTimeLimit(timeoutMs, (signal) => verifier.verify(problem, candidate, parsedOptions, { signal, timeoutMs }));
    const durationMs = performance.now() - started;
    if (limited.timedOut) {
      return { status: 'error', score: 0, reason: `verifier '${verifier.id}' timed out after ${timeoutMs} ms`, durationMs };
    }
    const outcome = limited.value;
    // A plug-in's return value is untrusted input: anything but a known status is an error verdict,
    // so a malformed verdict can never reach (and corrupt) a run's verdict file.
    const parsedStatus = VerdictStatus.safeParse((outcome as { status?: unknown } | null)?.status);
    if (!parsedStatus.success) {
      return { status: 'error', score: 0, reason: `verifier '${verifier.id}' returned no valid status (correct, incorrect, unparseable or error)`, durationMs };
    }
    const status = parsedStatus.data;
    let score = outcome.score ?? (status === 'correct' ? 1 : 0);
    if (!Number.isFinite(score)) score = 0;
    score = Math.min(1, Math.max(0, score));
    // An unparseable or erroring candidate never earns credit, whatever score a verifier claims.
    if (status === 'unparseable' || status === 'error') score = 0;
    return {
      status,
      score,
      ...capVerdictText(String(outcome.reason ?? ''), outcome.extracted === undefined ? undefined : String(outcome.extracted)),
      durationMs,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'error', score: 0, ...capVerdictText(`verifier '${verifier.id}' crashed: ${message}`, undefined), durationMs: performance.now() - started };
  }
}
