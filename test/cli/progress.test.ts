import { describe, expect, it } from 'vitest';
import { createProgressRenderer, progressEveryMs } from '../../src/cli/progress.ts';
import { ConfigError } from '../../src/errors.ts';

/** A stream that is not a terminal (a log file, CI), collecting what is written. */
function logStream(): { stream: NodeJS.WriteStream; lines: () => string[] } {
  let text = '';
  const stream = { isTTY: false, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('progress without a terminal', () => {
  it('prints a line per running stage every interval (done/total, rate, ETA, tokens, cost), and stops when it ends', async () => {
    const { stream, lines } = logStream();
    const emit = createProgressRenderer({ stream, everyMs: 40 });
    emit({ type: 'stage-start', round: 1, stage: 'sample', total: 640, label: 'sample 80 problems × 8' });
    await sleep(100);
    emit({ type: 'stage-progress', round: 1, stage: 'sample', done: 160, total: 640, tokens: { prompt: 12_000, completion: 48_000 }, costUsd: 0.0123 });
    const before = lines().length;
    await sleep(100);
    const periodic = lines().filter((line) => line.startsWith('  sample'));
    expect(periodic.length).toBeGreaterThanOrEqual(2);
    expect(periodic[0]).toMatch(/^ {2}sample {6}round 1 {2}0\/640 {2}0\.0\/s ETA \? {2}\d+s so far$/);
    expect(lines().at(-1)).toMatch(/^ {2}sample {6}round 1 {2}160\/640 {2}\d+\.\d\/s ETA \d+(s|m\d\ds) {2}tok 12\.0k→48\.0k {2}\$0\.0123 {2}\d+s so far$/);
    expect(lines().length).toBeGreaterThan(before);
    emit({ type: 'stage-end', round: 1, stage: 'sample', ms: 250, detail: '640 samples' });
    const atEnd = lines().length;
    expect(lines().at(-1)).toBe('  sample      640 samples (0s)');
    await sleep(120);
    expect(lines()).toHaveLength(atEnd);
  });

  it('prints no bar codes off a terminal, and nothing at all with quiet', async () => {
    const { stream, lines } = logStream();
    const emit = createProgressRenderer({ stream, everyMs: 20, quiet: true });
    emit({ type: 'stage-start', round: 0, stage: 'eval', total: 4, label: 'eval' });
    emit({ type: 'stage-progress', round: 0, stage: 'eval', done: 1, total: 4 });
    await sleep(80);
    emit({ type: 'stage-end', round: 0, stage: 'eval', ms: 80, detail: 'done' });
    expect(lines()).toEqual([]);
  });

  it('takes the interval from the flag, else STARLOOP_PROGRESS_EVERY, else 30 s; a bad value is a config error', () => {
    expect(progressEveryMs(undefined, {})).toBe(30_000);
    expect(progressEveryMs(undefined, { STARLOOP_PROGRESS_EVERY: '0.5' })).toBe(500);
    expect(progressEveryMs(2, { STARLOOP_PROGRESS_EVERY: '0.5' })).toBe(2000);
    expect(() => progressEveryMs(undefined, { STARLOOP_PROGRESS_EVERY: 'soon' })).toThrow(ConfigError);
    expect(() => progressEveryMs(undefined, { STARLOOP_PROGRESS_EVERY: '0' })).toThrow(/STARLOOP_PROGRESS_EVERY must be a number of seconds > 0, got '0'/);
  });
});
