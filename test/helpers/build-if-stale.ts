import { build, isStale } from '../../scripts/build.ts';

/** Vitest global setup: the e2e tests spawn the built CLI, so a source changed since the last build rebuilds it first. */
export default function setup(): void {
  if (isStale()) build();
}
