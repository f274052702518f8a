import type { z } from 'zod';

/** One line per issue, each naming the key path: `sampling.k: expected number, received string`. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const where = [prefix, path].filter(Boolean).join(prefix && path ? '.' : '');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('\n');
}
