// `eventlake serve` stopped by SIGTERM/SIGINT (stopServing) does not wait for connections whose request never reached
// the lake: Node's server.close() waits for every connection that carries a request, and counts one that has sent
// nothing yet (a client's preconnect) or only part of a request (a stalled upload) as one, so the stop waited 60 s
// for the first and for ever for the second. Nothing of theirs was stored, so dropping them loses nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { stopServing } from '../../cli/commands/serve.ts';
import { buildServer } from '../../cli/server.ts';
import { tempDir } from '../support/tmp.ts';

/** A raw client connection to `address`, open once connected; `closed` resolves when the server drops it. */
async function rawConnection(address: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(address);
  const socket = connect(Number(port), hostname);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed };
}

/** How long `work` took, or 'not within 3000 ms'. */
async function duration(work: Promise<unknown>): Promise<number | string> {
  const startedAt = Date.now();
  const bound = new Promise<string>((resolve) => setTimeout(() => resolve('not within 3000 ms'), 3_000).unref());
  return Promise.race([work.then(() => Date.now() - startedAt), bound]);
}

/** stopServing ends within 2 s while `socket` stays open on the client's side (then dropped, so a stop that waits ends). */
async function assertStopsPromptly(...[app, local, socket]: [...Parameters<typeof stopServing>, Socket]): Promise<void> {
  const stopping = stopServing(app, local);
  const took = await duration(stopping);
  socket.destroy();
  await stopping;
  assert.type(took, 'number', String(took));
  assert.ok((took as number) < 2_000, `stopped after ${took} ms`);
}

async function serving() {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-serve-drop-') });
  const app = buildServer(local);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { local, app, address };
}

const test = suite('eventlake serve: stopping drops the connections whose request never reached the lake');

test('a connection that has sent nothing yet is closed at once, and the stop does not wait for it', async () => {
  const { local, app, address } = await serving();
  const { socket, closed } = await rawConnection(address);
  await assertStopsPromptly(app, local, socket);
  await closed;
});

test('a request whose body is still arriving is dropped, and the stop does not wait for the rest of it', async () => {
  const { local, app, address } = await serving();
  const { socket, closed } = await rawConnection(address);
  socket.write('POST /events HTTP/1.1\r\nHost: lake\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[');
  await new Promise((resolve) => setTimeout(resolve, 100));
  await assertStopsPromptly(app, local, socket);
  await closed;
});

test.run();
