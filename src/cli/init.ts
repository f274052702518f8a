import type { Command } from 'commander';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { CONFIG_FILE, scaffoldFiles } from './init/scaffold.ts';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('start a project: a config with every key described, problems, a plug-in verifier with golden cases, a README')
    .argument('[dir]', 'where to create it (must be empty or not exist)', '.')
    .addHelpText(
      'after',
      `
Examples:
  $ starloop init my-project       # then: cd my-project && starloop run -c starloop.yaml`,
    )
    .action(async (dir: string) => {
      const root = resolve(dir);
      const existing = await readdir(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        if (error.code === 'ENOTDIR') throw new ConfigError(`${dir} is a file; starloop init needs an empty or new directory`);
        throw new ConfigError(`cannot read ${dir}: ${error.message}`, { cause: error });
      });
      if (existing.length > 0) throw new ConfigError(`${dir} is not empty (${existing.length} entries); starloop init writes only into an empty or new directory`);
      const name = basename(root).replace(/[^A-Za-z0-9._-]+/g, '-') || 'starloop-project';
      for (const [path, text] of Object.entries(await scaffoldFiles(name))) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text, { flag: 'wx' });
      }
      process.stdout.write(`created ${root}: ${CONFIG_FILE}, problems/, verifiers/, README.md\nnext: cd ${dir} && npx starloop run -c ${CONFIG_FILE}\n`);
    });
}
