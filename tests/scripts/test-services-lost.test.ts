// A shared DynamoDB Local that dies during a test run (scripts/test-services.mjs): the runner hears it, so it can say
// why the files using it failed and give the later files their own, instead of a run of bare "connection refused".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSharedServices } from '../../scripts/test-services.mjs';

const test = suite('test runner shared services lost');

const root = new URL('../..', import.meta.url).pathname;

/** Pids whose parent is `parent` and whose command line contains `marker` (Linux /proc). */
function childrenOf(parent: number, marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // a process that ended while listed
    }
  }
  return pids;
}

test('a shared DynamoDB Local whose JVM dies mid-run is reported to the runner, with its reason', async () => {
  let lost: string | undefined;
  const heard = new Promise<void>((done) => {
    void startSharedServices(root, [join(root, 'tests/support/dynamodb-local.ts')], (reason) => { lost = reason; done(); })
      .then((env) => {
        assert.ok(env['EVENTLAKE_TEST_DYNAMODB_ENDPOINT'], 'the shared server started');
        const [server] = childrenOf(process.pid, 'dynamodb-local-server.ts');
        const [jvm] = childrenOf(server!, 'Loopback.java');
        assert.ok(jvm, 'the JVM of the shared server was found');
        process.kill(jvm!, 'SIGKILL');
      });
  });
  // A referenced timer: the runner's server and its pipes are unref'd, so nothing else keeps this test waiting.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([heard, new Promise<void>((done) => { timer = setTimeout(done, 30_000); })]);
  clearTimeout(timer);
  assert.ok(lost, 'the runner was told the shared server stopped');
  assert.match(lost!, /DynamoDB Local exited \(SIGKILL\)/);
});

test.run();
