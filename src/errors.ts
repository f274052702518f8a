/**
 * Every error starloop raises on purpose is a StarloopError with a stable `code`. Library code
 * throws these; only the CLI entry maps them to exit codes and one-line messages.
 */
export class StarloopError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A config file or CLI option that does not parse or names something that does not exist. */
export class ConfigError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

/** A problem file with bad lines, duplicate ids or an unknown layout. */
export class ProblemFileError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PROBLEMS_INVALID', message, options);
  }
}

/** A JSONL or JSON file (samples, verdicts, run files) whose content does not parse. */
export class FileFormatError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FILE_INVALID', message, options);
  }
}

/** A run directory that cannot be used: locked by another process, missing, inconsistent, or not writable (disk full, read-only). */
export class RunStoreError extends StarloopError {
  constructor(code: 'RUN_LOCKED' | 'RUN_NOT_FOUND' | 'RUN_EXISTS' | 'RUN_MISMATCH' | 'RUN_IO', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A sampler backend that could not produce samples (unreachable server, auth, bad responses). */
export class PolicyError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'POLICY_FAILED', message, options);
  }
}

/** A trainer backend that failed (job failed, command exited non-zero, no model id produced). */
export class TrainerError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'TRAINER_FAILED', message, options);
  }
}

/** An unknown verifier id, a duplicate registration, or options a verifier rejects. */
export class VerifierError extends StarloopError {
  constructor(code: 'VERIFIER_UNKNOWN' | 'VERIFIER_DUPLICATE' | 'VERIFIER_OPTIONS' | 'VERIFIER_PLUGIN', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * Most verdicts of a stage are `error` (a sandbox that would not start, a crashing or timing-out
 * verifier): its pass rates would count the verifier's failures as the model's, so the run stops.
 */
export class VerifierFailedError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VERIFY_FAILED', message, options);
  }
}

/** The sandbox could not start, or strict isolation was required and is not available. */
export class SandboxError extends StarloopError {
  constructor(code: 'SANDBOX_UNAVAILABLE' | 'SANDBOX_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A server starloop runs (`starloop serve`) that cannot start: its port is taken or not ours to use. */
export class ServerStartError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_START', message, options);
  }
}

/** The embedded model: bad checkpoint file, shape or version mismatch. */
export class CheckpointError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CHECKPOINT_INVALID', message, options);
  }
}

/** The run reached a `budget` cap; what was drawn is stored and a resume with a raised cap continues. */
export class BudgetExceededError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BUDGET_REACHED', message, options);
  }
}

/** The user interrupted the run (SIGINT); what was stored stays stored. */
export class AbortedError extends StarloopError {
  constructor(message = 'interrupted', options?: { cause?: unknown }) {
    super('ABORTED', message, options);
  }
}

/**
 * `starloop generate` could not grow the problem set: no OpenAI-compatible writer (`GENERATE_WRITER`),
 * or the writing prompts allowed ran out short of the count (`GENERATE_SHORT`; what was kept stays kept).
 */
export class GenerateError extends StarloopError {
  constructor(code: 'GENERATE_WRITER' | 'GENERATE_SHORT', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
