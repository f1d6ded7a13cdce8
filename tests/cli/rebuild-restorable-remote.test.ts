// `eventlake rebuild --remote` whose rebuild function reports a snapshot DynamoDB would not restore: the CLI answers with
// the same error, ending with the exact command to run again (which the function cannot know).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { PlannedSnapshotNotRestorableError, SnapshotNotRestorableError } from '../../projections/rebuild/snapshot-errors.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake rebuild --remote: a snapshot no longer restorable');
const lambda = mockClient(LambdaClient);
test.after.each(() => { lambda.reset(); });
test.after(() => { lambda.restore(); });

/** `eventlake … rebuild --remote` whose function fails with `thrown`, as its Lambda runtime reports it. */
async function remoteRebuildFailingWith(thrown: Error) {
  const payload = new TextEncoder().encode(JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message }));
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload } as unknown as InvokeCommandOutput);
  const config = join(tempDir(), 'eventlake.json');
  writeFileSync(config, JSON.stringify({ target: 'aws', region: 'eu-west-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control', rebuildFunction: 'bank-rebuild' }));
  const own = ['rebuild', '--projection', 'balances', '--from', '2024-03-01T00:00:00Z', '--remote'];
  const run = await runCli(['--config', config, ...own]);
  return { run, line: `eventlake --config ${config} ${own.join(' ')}` };
}

test('a restore DynamoDB refused: INVALID_ARGUMENT ending with the exact --remote command to run again', async () => {
  const { run, line } = await remoteRebuildFailingWith(new SnapshotNotRestorableError('pitr-2024-02-29T00:00:00Z', 'eventlake-balances-g1', 'InvalidRestoreTimeException'));
  assert.is(run.code, 1);
  assert.match(run.stderr, /^eventlake: INVALID_ARGUMENT: snapshot: snapshot pitr-2024-02-29T00:00:00Z cannot be restored from eventlake-balances-g1 \(InvalidRestoreTimeException\)/m);
  assert.ok(run.stderr.includes(`or from the start of the log when there is none: ${line}\n`), run.stderr);
});

test('a planned snapshot no longer restorable: TRANSIENT with its reason, ending with the exact --remote command to run again', async () => {
  const { run, line } = await remoteRebuildFailingWith(new PlannedSnapshotNotRestorableError('balances', 'pitr-2024-02-29T00:00:00Z', 'PITR off'));
  assert.is(run.code, 1);
  assert.match(run.stderr, /^eventlake: TRANSIENT: snapshot pitr-2024-02-29T00:00:00Z of balances, the one at or before --from this rebuild planned to start from, can no longer be restored \(PITR off\)/m);
  assert.ok(run.stderr.includes(`or from the start of the log when there is none: ${line}\n`), run.stderr);
});

test.run();
