import { InvalidArgumentError } from 'commander';

/** Commander parsers that name the option in their message. */
export function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number, got '${value}'`);
    return n;
  };
}

export function nonNegativeInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got '${value}'`);
    return n;
  };
}

/** A TCP port to listen on; 0 asks the system for a free one. */
export function port(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError(`${name} must be a port number from 0 to 65535 (0 picks a free one), got '${value}'`);
    return n;
  };
}

export function number(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, got '${value}'`);
    return n;
  };
}

/** `--rejudge errors`: the only kind of stored verdict that can be judged again. */
export function rejudgeKind(value: string): 'errors' {
  if (value !== 'errors') throw new InvalidArgumentError(`--rejudge takes 'errors' (judge the stored error verdicts again), got '${value}'`);
  return value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
