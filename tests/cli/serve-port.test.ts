// `eventlake serve --port`: a port that is not one, or one already taken, is a typed error naming --port and the fix
// (exit 1), never an "unexpected error" stack trace (exit 3).

import { createServer, type Server } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePort } from '../../cli/commands/serve.ts';
import { runCli } from '../security/cli-run.ts';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake serve --port (CLI)');

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

test('a --port that is not a whole number exits 1 naming --port and an example, and creates no data dir', async () => {
  await assertRefusedBeforeOpen(['serve', '--port', 'abc'], /INVALID_ARGUMENT: --port: abc is not a TCP port: .* e\.g\. --port 8080/);
});

test('a --port above 65535 exits 1 naming --port', async () => {
  await assertRefusedBeforeOpen(['serve', '--port', '99999'], 'INVALID_ARGUMENT: --port: 99999 is not a TCP port');
});

test('a port another process listens on exits 1 naming the address and the fix', async () => {
  const { server, port } = await listenOnFreePort();
  try {
    const r = await runCli(['--data-dir', tempDir(), 'serve', '--port', String(port)]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `INVALID_ARGUMENT: --port: 127.0.0.1:${port} is already in use by another process: stop it, or choose another --port`);
    assert.not.match(r.stderr, 'unexpected error');
  } finally {
    await new Promise((done) => server.close(done));
  }
});

test('parsePort accepts 0 (any free port) through 65535 and refuses signs, fractions and blanks', () => {
  assert.is(parsePort('0'), 0);
  assert.is(parsePort('8080'), 8080);
  assert.is(parsePort('65535'), 65_535);
  for (const bad of ['-1', '80.5', '', ' 80', '1e3', '65536']) assert.throws(() => parsePort(bad), /--port/, bad);
});

test.run();
