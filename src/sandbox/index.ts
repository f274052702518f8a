export { type Runtime, NODE_PATH, PYTHON_PATH } from './command.ts';
export { BWRAP_ENV, type Isolation, type IsolationLevel, STRICT_ENV, detectIsolation, requireIsolation } from './isolation.ts';
export { SandboxLimits, type SandboxLimitsInput, resolveLimits } from './limits.ts';
export { type SandboxJob, type SandboxOutcome, TestMode } from './outcome.ts';
export { type Sandbox, type SandboxMode, type SandboxOptions, createSandbox } from './sandbox.ts';
