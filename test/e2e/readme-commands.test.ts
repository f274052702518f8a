import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './cli.ts';
import { readmeCommands } from './readme-commands.ts';

/**
 * Every command README.md shows (see readme-commands.ts for what counts as one), and the test that
 * runs it: a test file, and a string that file must contain, so the mapping cannot point at a
 * test that no longer exercises the command. A README command missing here fails the suite.
 */
const RUN_BY: Record<string, { test: string; contains: string }> = {
  'npx starloop run -c examples/vllm-trl.yaml': { test: 'test/e2e/vllm-trl-readme.test.ts', contains: "'## STaR on vLLM + TRL\\n'" },
  'npx starloop report runs/vllm-trl': { test: 'test/e2e/vllm-trl-readme.test.ts', contains: "'## STaR on vLLM + TRL\\n'" },
  'npx starloop export runs/vllm-trl --pairs --all --out runs/vllm-trl/pairs.jsonl': { test: 'test/e2e/vllm-trl-readme.test.ts', contains: "'## STaR on vLLM + TRL\\n'" },
  'npx starloop run': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop run':" },
  'starloop run': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop run':" },
  'npx starloop run --recipe imitation-ceiling --out runs/ceiling': {
    test: 'test/e2e/help-examples.test.ts',
    contains: "'starloop run --recipe imitation-ceiling --out runs/ceiling':",
  },
  'npx starloop run --control': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop run --control':" },
  'npx starloop run -c gsm-demo.yaml --rounds 2': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop run -c examples/gsm-demo.yaml'" },
  'npx starloop run -c gsm-demo.yaml --rounds 2 --dry-run': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop run -c gsm.yaml --dry-run':" },
  'npx starloop run -c gsm-demo.yaml --rounds 2 --resume': { test: 'test/e2e/kill-and-resume.test.ts', contains: "'--resume'" },
  'npx starloop report runs/gsm-demo': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop report runs/gsm-demo'" },
  'starloop report': { test: 'test/e2e/report-sampling-spend.test.ts', contains: "runCli(['report', runDir])" },
  'npx starloop serve --port 8000 --model-name base-model': { test: 'test/e2e/embedded-serve-run.test.ts', contains: 'npx starloop serve --port 8000 --model-name base-model' },
  'npx starloop run -c examples/embedded-serve.yaml': { test: 'test/e2e/embedded-serve-run.test.ts', contains: 'npx starloop run -c examples/embedded-serve.yaml' },
  'npx starloop verifiers test ./chem-formula.ts --cases chem-cases.jsonl': { test: 'test/e2e/readme-verifier.test.ts', contains: 'npx starloop verifiers test ./chem-formula.ts --cases chem-cases.jsonl' },
  'npm run build': { test: 'test/helpers/build-if-stale.ts', contains: "from '../../scripts/build.ts'" },
  'npm run demo:server -- --port 8000 --model base-model --answers problems/gsm-mini/train.jsonl --answers problems/gsm-mini/eval.jsonl': {
    test: 'test/serve/test-server-standalone.test.ts',
    contains: 'test/helpers/openai-server-main.ts',
  },
  'npx starloop run -c open-server.yaml': { test: 'test/e2e/open-server-walkthrough.test.ts', contains: "['run', '-c', 'open-server.yaml']" },
  'npx starloop export runs/open-server --round 0': { test: 'test/e2e/open-server-walkthrough.test.ts', contains: "['export', 'runs/open-server', '--round', '0']" },
  'starloop verifiers list': { test: 'test/package/package.test.ts', contains: "['verifiers', 'list'" },
  'npm run demo:server -- --port 8000 --model base-model --answers problems/gsm-mini/train.jsonl --answers problems/gsm-mini/eval.jsonl --writer': {
    test: 'test/e2e/generate.test.ts',
    contains: "const README_SERVER = 'npm run demo:server -- --port 8000 --model base-model --answers problems/gsm-mini/train.jsonl --answers problems/gsm-mini/eval.jsonl --writer';",
  },
  'npx starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 30 --out grown.jsonl': {
    test: 'test/e2e/generate.test.ts',
    contains: "const README_GENERATE = 'npx starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 30 --out grown.jsonl';",
  },
  'npx starloop run -c examples/gsm-generate.yaml': { test: 'test/e2e/generate.test.ts', contains: "const README_RUN = 'npx starloop run -c examples/gsm-generate.yaml';" },
  'npx starloop compare runs/arith-star runs/arith-star-control': { test: 'test/e2e/help-examples.test.ts', contains: "'starloop compare runs/starloop runs/starloop-control'" },
};

/** Commands no test runs, and why; each must at least be a script package.json defines. */
const NOT_RUN: Record<string, string> = {
  'npm run bench:store': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:policy': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:verifiers': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:sandbox': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:embedded': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:star-embedded': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:contamination': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:startup': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:routing': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:sampling': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:rouge': 'a benchmark: minutes of load on a shared machine',
  'npm run bench:ceiling': 'a benchmark: minutes of load on a shared machine (test/e2e/imitation-ceiling.test.ts runs the experiment at reduced size)',
  'npm run conformance': 'needs the public data sets in ../shared/datasets/, which the suite does not have',
};

const commands = readmeCommands();

test('the README shows commands, and finds them in code blocks and inline code', () => {
  expect(commands.length).toBeGreaterThan(10);
  expect(commands.map((c) => c.command)).toContain('npx starloop run -c examples/embedded-serve.yaml');
});

test('every README command is run by a named test, or listed as not run with the reason', () => {
  const missing = commands.filter(({ command }) => !(command in RUN_BY) && !(command in NOT_RUN)).map(({ command, line }) => `README.md:${line}: ${command}`);
  expect(missing, 'add each to RUN_BY with the test that runs it').toEqual([]);
});

test('each mapping names a test that exists and still contains the command', () => {
  for (const [command, { test: file, contains }] of Object.entries(RUN_BY)) {
    const path = join(repoRoot, file);
    expect(existsSync(path), `${command} → ${file}`).toBe(true);
    expect(readFileSync(path, 'utf8'), `${command} → ${file}`).toContain(contains);
  }
});

test('no mapping is left for a command the README no longer shows', () => {
  const shown = new Set(commands.map((c) => c.command));
  expect([...Object.keys(RUN_BY), ...Object.keys(NOT_RUN)].filter((command) => !shown.has(command))).toEqual([]);
});

test('a README command no test runs is at least an npm script package.json defines', () => {
  const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const command of Object.keys(NOT_RUN)) expect(scripts, command).toHaveProperty(command.replace(/^npm run /, ''));
});

test('a new README command without a test fails', () => {
  const extra = readmeCommands('Try `npx starloop run --set rounds=9`.\n');
  expect(extra.map((c) => c.command)).toEqual(['npx starloop run --set rounds=9']);
  expect(extra.every(({ command }) => command in RUN_BY)).toBe(false);
});
