import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, runPython } from './hostile.ts';

let connections = 0;
let port = 0;
const server = createServer((socket) => {
  connections++;
  socket.destroy();
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe.each(MODES)('network access (%s)', (mode) => {
  it('cannot reach a listener on the host loopback', async () => {
    await expectBubblewrap();
    const code = [
      'import socket',
      'REACHED = False',
      'try:',
      `    with socket.create_connection(("127.0.0.1", ${port}), timeout=0.5) as s:`,
      '        s.sendall(b"exfiltrate")',
      '        REACHED = True',
      'except OSError as error:',
      '    print("blocked:", error)',
    ].join('\n');
    const outcome = await runPython(mode, code, 'assert REACHED is False');
    expect(outcome.passed, outcome.stderr).toBe(true);
    expect(connections).toBe(0);
    await expectNextTaskUnaffected(mode);
  });

  it('from JavaScript either', async () => {
    // A child node does the asynchronous connect and keeps its event loop running while it does.
    const client = `const s = require('node:net').connect(${port}, '127.0.0.1', () => s.write('exfiltrate')); s.on('error', (e) => console.log('blocked:', e.code)); setTimeout(() => process.exit(0), 300);`;
    const code = `const run = require('node:child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify('CLIENT')}], { encoding: 'utf8' }); console.log(run.stdout);`.replace(
      '"CLIENT"',
      JSON.stringify(client),
    );
    const outcome = await runNode(mode, code, 'assert.ok(true)');
    expect(outcome.stdout).toContain('blocked:');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connections).toBe(0);
  });
});
