import { ConfigError } from '../errors.ts';
import type { PipelineEvent, Stage } from '../pipeline/events.ts';

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Draw a live bar; defaults to whether the stream is a terminal. */
  live?: boolean;
  quiet?: boolean;
  /** Off a terminal: milliseconds between the progress lines of a running stage. */
  everyMs?: number;
}

const BAR_WIDTH = 24;

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** How often a stage reports on a stream that is not a terminal, unless set: seconds. */
export const DEFAULT_PROGRESS_EVERY_S = 30;
export const PROGRESS_EVERY_ENV = 'STARLOOP_PROGRESS_EVERY';

/** The seconds between progress lines off a terminal: the flag, else STARLOOP_PROGRESS_EVERY, else 30. */
export function progressEveryMs(flag?: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = flag ?? env[PROGRESS_EVERY_ENV];
  if (raw === undefined || raw === '') return DEFAULT_PROGRESS_EVERY_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigError(`${flag === undefined ? PROGRESS_EVERY_ENV : '--progress-every'} must be a number of seconds > 0, got '${raw}'`);
  }
  return seconds * 1000;
}

interface RunningStage {
  stage: Stage;
  round: number;
  started: number;
  label: string;
  total: number;
  last?: Extract<PipelineEvent, { type: 'stage-progress' }>;
}

/** done/total, rate, ETA, tokens and cost of a running stage, as the bar and the periodic line show them. */
function progressParts(current: RunningStage, now: number): { count: string; rate: string; rest: string[]; fraction: number } {
  const done = current.last?.done ?? 0;
  const total = current.last?.total ?? current.total;
  const elapsed = now - current.started;
  const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
  const eta = rate > 0 && total > 0 ? ((total - done) / rate) * 1000 : NaN;
  const event = current.last;
  return {
    fraction: total > 0 ? Math.min(1, done / total) : 0,
    count: total > 0 ? `${done}/${total}` : '',
    rate: total > 0 ? `${rate.toFixed(1)}/s ETA ${formatDuration(eta)}` : '',
    rest: [
      event?.message ?? '',
      event?.tokens ? `tok ${formatCount(event.tokens.prompt)}→${formatCount(event.tokens.completion)}` : '',
      event?.costUsd ? `$${event.costUsd.toFixed(4)}` : '',
    ],
  };
}

/**
 * Turns pipeline events into a live progress line per stage (done/total, rate, ETA, tokens, cost)
 * on a terminal. Elsewhere (CI, nohup, a log file) a running stage prints the same figures as a
 * plain line every `everyMs` (default 30 s), so an hours-long stage is never silent, and one line
 * when it ends.
 */
export function createProgressRenderer(options: ProgressOptions = {}): (event: PipelineEvent) => void {
  const stream = options.stream ?? process.stderr;
  const live = options.live ?? Boolean(stream.isTTY);
  const everyMs = options.everyMs ?? progressEveryMs();
  let current: RunningStage | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastDraw = 0;
  let drawn = false;

  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const line = (text: string) => {
    if (options.quiet) return;
    clear();
    stream.write(text + '\n');
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const periodicLine = () => {
    if (!current) return;
    const elapsed = formatDuration(performance.now() - current.started);
    const { count, rate, rest } = progressParts(current, performance.now());
    line([`  ${current.stage.padEnd(11)} round ${current.round}`, count, rate, ...rest, `${elapsed} so far`].filter(Boolean).join('  '));
  };

  return (event) => {
    switch (event.type) {
      case 'run-start':
        line(`${event.resumed ? 'resuming' : 'starting'} run in ${event.runDir} (${event.rounds} round${event.rounds === 1 ? '' : 's'})`);
        break;
      case 'round-start':
        line(`round ${event.round} · policy ${event.model}`);
        break;
      case 'stage-start':
        stopTimer();
        current = { stage: event.stage, round: event.round, started: performance.now(), label: event.label, total: event.total };
        if (!live && !options.quiet) {
          timer = setInterval(periodicLine, everyMs);
          // A stage that fails never ends; its timer must not keep the process alive.
          timer.unref();
        }
        break;
      case 'stage-progress': {
        if (!current) break;
        current.last = event;
        if (!live || options.quiet) break;
        const now = performance.now();
        if (now - lastDraw < 100 && event.done < event.total) break;
        lastDraw = now;
        const { fraction, count, rate, rest } = progressParts(current, now);
        const filled = Math.round(fraction * BAR_WIDTH);
        const parts = [
          `  ${current.stage.padEnd(10)}`,
          count ? `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${count}` : '',
          rate,
          ...rest,
        ].filter(Boolean);
        stream.write(`\r\x1b[2K${parts.join('  ')}`.slice(0, (stream.columns ?? 120) + 8));
        drawn = true;
        break;
      }
      case 'stage-end':
        stopTimer();
        line(`  ${event.stage.padEnd(11)} ${event.detail} (${formatDuration(event.ms)})`);
        current = undefined;
        break;
      case 'round-end':
        break;
      case 'log':
        line(`  ${event.message}`);
        break;
      case 'warning':
        // Shown even with --quiet: it is not progress but something the user must know.
        clear();
        stream.write(`  warning: ${event.message}\n`);
        break;
    }
  };
}
