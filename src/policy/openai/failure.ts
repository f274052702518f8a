import { PolicyError } from '../../errors.ts';
import type { Failure, FailureKind } from '../../openai/errors.ts';

const CODES: Record<FailureKind, string> = {
  timeout: 'POLICY_TIMEOUT',
  unreachable: 'POLICY_UNREACHABLE',
  auth: 'POLICY_AUTH',
  'bad-response': 'POLICY_BAD_RESPONSE',
  failed: 'POLICY_FAILED',
};

/** A server failure as the policy reports it. */
export function policyError(failure: Failure): PolicyError {
  return new PolicyError(failure.message, { cause: failure.cause, code: CODES[failure.kind] });
}
