import type { PipelineEvent, Stage } from '../pipeline/events.ts';

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Draw a live bar; defaults to whether the stream is a terminal. */
  live?: boolean;
  quiet?: boolean;
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

/**
 * Turns pipeline events into a live progress line per stage (done/total, rate, ETA, tokens, cost)
 * on a terminal, and into one line per finished stage elsewhere, so logs stay readable.
 */
export function createProgressRenderer(options: ProgressOptions = {}): (event: PipelineEvent) => void {
  const stream = options.stream ?? process.stderr;
  const live = options.live ?? Boolean(stream.isTTY);
  let current: { stage: Stage; round: number; started: number; label: string } | undefined;
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

  return (event) => {
    switch (event.type) {
      case 'run-start':
        line(`${event.resumed ? 'resuming' : 'starting'} run in ${event.runDir} (${event.rounds} round${event.rounds === 1 ? '' : 's'})`);
        break;
      case 'round-start':
        line(`round ${event.round} · policy ${event.model}`);
        break;
      case 'stage-start':
        current = { stage: event.stage, round: event.round, started: performance.now(), label: event.label };
        break;
      case 'stage-progress': {
        if (!live || options.quiet || !current) break;
        const now = performance.now();
        if (now - lastDraw < 100 && event.done < event.total) break;
        lastDraw = now;
        const elapsed = now - current.started;
        const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
        const filled = Math.round(fraction * BAR_WIDTH);
        const rate = elapsed > 0 ? (event.done / elapsed) * 1000 : 0;
        const eta = rate > 0 && event.total > 0 ? ((event.total - event.done) / rate) * 1000 : NaN;
        const parts = [
          `  ${current.stage.padEnd(10)}`,
          event.total > 0 ? `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${event.done}/${event.total}` : '',
          event.total > 0 ? `${rate.toFixed(1)}/s ETA ${formatDuration(eta)}` : '',
          event.message ?? '',
          event.tokens ? `tok ${formatCount(event.tokens.prompt)}→${formatCount(event.tokens.completion)}` : '',
          event.costUsd ? `$${event.costUsd.toFixed(4)}` : '',
        ].filter(Boolean);
        stream.write(`\r\x1b[2K${parts.join('  ')}`.slice(0, (stream.columns ?? 120) + 8));
        drawn = true;
        break;
      }
      case 'stage-end':
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
