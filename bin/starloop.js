#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`, which `npm install` runs in a checkout).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('starloop: the package is not built (dist/ is missing); run `npm run build` in the starloop checkout\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
