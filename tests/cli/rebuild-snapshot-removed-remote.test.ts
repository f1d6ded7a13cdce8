// `eventlake rebuild --remote` whose rebuild function reports its planned snapshot pruned before it took the lease: the
// CLI answers with the same TRANSIENT error, naming the exact command to run again (what the function cannot know).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { PlannedSnapshotRemovedError } from '../../projections/rebuild/start-generation.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake rebuild --remote: a planned snapshot pruned before the lease');
const lambda = mockClient(LambdaClient);

test('the function\'s error becomes TRANSIENT with the exact --remote command to run again, global options included', async () => {
  // What the function's Lambda runtime reports for the coordinator's error (bundles keep class names).
  const thrown = new PlannedSnapshotRemovedError('balances', 'pitr-2024-02-29T00:00:00Z');
  const payload = new TextEncoder().encode(JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message }));
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload } as unknown as InvokeCommandOutput);
  const config = join(tempDir(), 'eventlake.json');
  writeFileSync(config, JSON.stringify({ target: 'aws', region: 'eu-west-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control', rebuildFunction: 'bank-rebuild' }));
  const dataDir = join(tempDir(), 'data');
  const own = ['rebuild', '--projection', 'balances', '--from', '2024-03-01T00:00:00Z', '--remote', '--wait'];
  const run = await runCli(['--data-dir', dataDir, '--config', config, ...own]);
  assert.is(run.code, 1);
  assert.match(run.stderr, /^eventlake: TRANSIENT: snapshot pitr-2024-02-29T00:00:00Z of balances, the one at or before --from this rebuild planned to start from, was removed after the plan/m);
  assert.ok(run.stderr.includes(`run the same command again, which plans from the snapshots there are now: eventlake --data-dir ${dataDir} --config ${config} ${own.join(' ')}\n`), run.stderr);
  lambda.restore();
});

test.run();
