import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot, toolVersion } from '../../package-info.ts';
import { commentedConfig } from './commented-config.ts';

/** How many problems of each split the scaffold copies from the shipped arithmetic set. */
const PROBLEMS_PER_SPLIT = 20;

export const CONFIG_FILE = 'starloop.yaml';
export const VERIFIER_FILE = 'verifiers/reversed-sum.mjs';
export const CASES_FILE = 'verifiers/reversed-sum.cases.jsonl';

/**
 * The files of a new project, by path relative to its directory: a config that runs on the
 * embedded model as it is, its problems (the embedded model's own task, so the first run shows
 * something), a plug-in verifier with golden cases to start a domain verifier from, and a README.
 */
export async function scaffoldFiles(name: string): Promise<Record<string, string>> {
  return {
    [CONFIG_FILE]: configText(name),
    'problems/train.jsonl': await problemLines('train.jsonl'),
    'problems/eval.jsonl': await problemLines('eval.jsonl'),
    [VERIFIER_FILE]: VERIFIER,
    [CASES_FILE]: `${CASES.map((line) => JSON.stringify(line)).join('\n')}\n`,
    'README.md': readme(name),
  };
}

function configText(name: string): string {
  const values = {
    name,
    problems: { train: 'problems/train.jsonl', eval: 'problems/eval.jsonl' },
    verifier: 'numeric',
    policy: { type: 'embedded' },
    sampling: { k: 8, temperature: 1, maxTokens: 12 },
    rationalize: { enabled: false },
    select: { maxPerProblem: 1, dedupe: 'normalized' },
    train: { type: 'embedded', restartFromBase: true },
    eval: { k: 4, temperature: 1, maxTokens: 12 },
    rounds: 2,
  };
  const header = [
    `starloop ${toolVersion()} run config. Every key is listed under its description; the set ones run`,
    "the embedded model on its own task (reversed-digit addition), the others show their defaults:",
    'remove `# ` to set one. Relative paths are resolved against the directory starloop runs in.',
    'Run it: npx starloop run -c starloop.yaml',
  ];
  return commentedConfig(values, header);
}

/** The first problems of a shipped split, without the generator's metadata. */
async function problemLines(file: string): Promise<string> {
  const text = await readFile(join(packageRoot, 'problems', 'arith', file), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, PROBLEMS_PER_SPLIT)
    .map((line) => {
      const { id, prompt, answer } = JSON.parse(line) as { id: string; prompt: string; answer: string };
      return `${JSON.stringify({ id, prompt, answer })}\n`;
    })
    .join('');
}

/** The run of step 2 of the README: this project's config against `starloop serve` on port 8000. */
export const SERVE_RUN = [
  `npx starloop run -c ${CONFIG_FILE}`,
  '--set policy.type=openai --set policy.baseURL=http://127.0.0.1:8000/v1 --set policy.model=starloop-embedded',
  '--set train.type=openai --set train.base=starloop-embedded',
].join(' ');

const VERIFIER = `// A plug-in verifier to start your own from. It checks an answer of the embedded model's task
// without the gold answer: the prompt "52890+67220=" adds 9825 and 2276 written with their digits
// reversed (and padded), so the answer must be 12101 reversed, "101210" or "10121".
// Check it:   npx starloop verifiers test ${VERIFIER_FILE} --cases ${CASES_FILE}
// Use it:     verifiers: [${VERIFIER_FILE}] and verifier: reversed-sum in ${CONFIG_FILE}
import { defineVerifier } from 'starloop';
import { z } from 'zod';

const reversed = (digits) => BigInt([...digits].reverse().join(''));

export default defineVerifier({
  id: 'reversed-sum',
  description: 'Reversed-digit addition checked against the sum of the prompt itself',
  version: '1.0.0',
  options: z.object({}).strict(),
  verify(problem, candidate) {
    const addends = /^\\s*(\\d+)\\+(\\d+)=\\s*$/.exec(problem.prompt ?? '');
    // Cannot decide: say so, never guess.
    if (!addends) return { status: 'error', reason: \`prompt '\${problem.prompt}' is not of the form 123+456=\` };
    const answer = /\\d+/.exec(candidate);
    if (!answer) return { status: 'unparseable', reason: 'no digits in the answer' };
    const sum = reversed(addends[1]) + reversed(addends[2]);
    const got = reversed(answer[0]);
    return {
      status: got === sum ? 'correct' : 'incorrect',
      reason: \`read \${got}, the sum is \${sum}\`,
      extracted: String(got),
    };
  },
});
`;

const problem = { id: 'case', prompt: '52890+67220=', answer: '101210' };
const CASES = [
  { name: 'the padded answer', problem, candidate: '101210', expected: 'correct' },
  { name: 'without the padding zero', problem, candidate: '10121', expected: 'correct' },
  { name: 'digits not reversed', problem, candidate: '12101', expected: 'incorrect' },
  { name: 'one digit off', problem, candidate: '101220', expected: 'incorrect' },
  { name: 'no answer at all', problem, candidate: 'I do not know', expected: 'unparseable' },
  { name: 'a prompt of another task', problem: { id: 'words', prompt: 'What is two plus two?', answer: '4' }, candidate: '4', expected: 'error' },
];

function readme(name: string): string {
  return `# ${name}

A starloop project: sample answers from a model, keep the ones a verifier accepts, fine-tune on
them, evaluate, round after round.

- \`${CONFIG_FILE}\`: the run config; every key is there with its description, commented out
  unless set. It runs the embedded model (a tiny transformer that ships with starloop) on
  reversed-digit addition.
- \`problems/train.jsonl\`, \`problems/eval.jsonl\`: one problem a line, \`{"id", "prompt", "answer"}\`.
- \`${VERIFIER_FILE}\`: a plug-in verifier, with golden cases in \`${CASES_FILE}\`.

## Next steps

1. Run it: \`npx starloop run -c ${CONFIG_FILE}\`, then \`npx starloop report runs/${name}\`.
2. The same through the OpenAI API, as against any OpenAI-compatible server: \`npx starloop serve --port 8000\`
   in another terminal, then (or write these keys into the config):

   \`\`\`sh
   ${SERVE_RUN}
   \`\`\`

   vLLM, SGLang and Ollama have no fine-tuning API: with them, \`train: { type: command, command: "…" }\`.
3. Put your own problems in \`problems/\` (\`npx starloop problems check problems/train.jsonl\`
   reads them as a run would).
4. Write your verifier from the plug-in: \`npm i -D starloop zod\`, then
   \`npx starloop verifiers test ${VERIFIER_FILE} --cases ${CASES_FILE}\` checks the contract and
   the golden cases; add \`verifiers: [${VERIFIER_FILE}]\` and \`verifier: reversed-sum\` to the config.
`;
}
