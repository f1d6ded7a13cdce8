// `eventlake query`: the fields of user event types are columns of `events`, typed from their schemas.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake query: columns of user event types (CLI)');
const EXAMPLE = join(import.meta.dirname, '../../examples/outgoing-payment');

test('a field only a --schemas type declares can be selected and filtered on', async () => {
  const dir = join(tempDir(), 'lake');
  const schemas = ['--data-dir', dir, '--schemas', join(EXAMPLE, 'schemas')];
  const emitted = await runCli([...schemas, 'emit', join(EXAMPLE, 'events.ndjson')]);
  assert.is(emitted.code, 0, emitted.stderr);
  const r = await runCli([...schemas, 'query', '--json', "SELECT TargetInstitution FROM events WHERE TargetInstitution = 'Landlord Bank'"]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown), [{ TargetInstitution: 'Landlord Bank' }]);
});

test.run();
