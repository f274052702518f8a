import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { CommandTrainConfig } from '../../src/config/schema.ts';
import { createCommandTrainer } from '../../src/trainer/command.ts';
import { trainRequest } from '../helpers/train-request.ts';

const recipe = fileURLToPath(new URL('../../examples/trainers/trl_sft.py', import.meta.url));
const python = '/usr/bin/python3';
const command = `${python} ${recipe} --data {dataset} --base {base} --start {start} --round {round} --out {outDir}`;

/** A directory whose torch, transformers, peft, trl and datasets fail on import: the dry run must not touch them. */
async function poisonedModules(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-no-torch-'));
  for (const name of ['torch', 'transformers', 'peft', 'trl', 'datasets']) {
    await writeFile(join(dir, `${name}.py`), `raise ImportError("${name} imported by a dry run")\n`);
  }
  return dir;
}

test('the TRL recipe honours the command-trainer contract: its dry run reads the round\'s dataset and prints the adapter directory as checkpoint', async () => {
  const trainer = createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command: `PYTHONPATH=${await poisonedModules()} ${command} --dry-run` }));
  const request = await trainRequest({ base: { model: 'Qwen/Qwen2.5-0.5B-Instruct' }, start: { model: 'Qwen/Qwen2.5-0.5B-Instruct' }, round: 1 });
  const result = await trainer.train(request);
  expect(result).toEqual({ model: 'star', checkpoint: request.outDir });
  const logs = request.progress.filter((p) => p.stage === 'log').map((p) => p.message);
  expect(logs).toContain(`dry run: 2 examples, LoRA r=16 on Qwen/Qwen2.5-0.5B-Instruct from Qwen/Qwen2.5-0.5B-Instruct, round 1 → ${request.outDir}`);
});

test('from an earlier round\'s adapter ({start} a checkpoint directory) and with --name', async () => {
  const earlier = await mkdtemp(join(tmpdir(), 'starloop-adapter-'));
  await writeFile(join(earlier, 'adapter_config.json'), '{"peft_type":"LORA"}');
  const trainer = createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command: `${command} --name qwen-star --dry-run` }));
  const request = await trainRequest({ start: { model: 'star-r1', checkpoint: earlier }, round: 2 });
  expect(await trainer.train(request)).toEqual({ model: 'qwen-star', checkpoint: request.outDir });
});

function dryRun(args: string[]) {
  const result = spawnSync(python, [recipe, ...args, '--dry-run'], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('bad inputs are one-line errors naming the file and line, with nothing on stdout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-trl-'));
  const out = join(dir, 'out');
  await mkdir(out);
  const dataset = async (text: string) => {
    const path = join(dir, `d${Math.random().toString(36).slice(2)}.jsonl`);
    await writeFile(path, text);
    return path;
  };
  const args = (data: string, extra: string[] = []) => ['--data', data, '--base', 'm', '--start', 'm', '--round', '1', '--out', out, ...extra];
  const good = '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n';
  const cases: [string[], RegExp][] = [
    [args(join(dir, 'missing.jsonl')), /--data .*missing\.jsonl: no such file/],
    [args(await dataset(`${good}not json\n`)), /d\w+\.jsonl:2: not JSON/],
    [args(await dataset('{"messages":[{"role":"assistant","content":"a"},{"role":"user","content":"q"}]}\n')), /:1: the last message must be the assistant's answer/],
    [args(await dataset('{"messages":[{"role":"robot","content":"a"},{"role":"assistant","content":"q"}]}\n')), /:1: each message needs a role/],
    [args(await dataset('\n')), /no examples/],
    [args(await dataset(good), ['--round', '0']), /--round 0/],
    [['--data', await dataset(good), '--base', 'm', '--start', 'm', '--round', '1', '--out', join(dir, 'nowhere')], /--out .*nowhere: no such directory/],
  ];
  for (const [argv, message] of cases) {
    const result = dryRun(argv);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }
  const ok = dryRun(args(await dataset(good)));
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout.trim().split('\n').at(-1)!)).toEqual({ model: 'star', checkpoint: out });
});
