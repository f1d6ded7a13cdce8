// `eventlake query` naming a field the loaded schemas have but the events table has no column for (a number) is told
// why, not to load a folder that is loaded already (the hint of cli/error-hint.ts, fed by the query command).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake query: a schema field that is no column');

/** A schema folder with outgoing_payment v1 plus a `Rate` number field (numbers are not columns). */
function schemasWithRate(): string {
  const folder = join(tempDir('rate-schemas'), 'schemas');
  mkdirSync(folder, { recursive: true });
  const schema = JSON.parse(readFileSync('examples/outgoing-payment/schemas/outgoing_payment.v1.json', 'utf8')) as { properties: Record<string, unknown> };
  schema.properties['Rate'] = { type: 'number', description: 'an exchange rate' };
  writeFileSync(join(folder, 'outgoing_payment.v1.json'), JSON.stringify(schema));
  return folder;
}

test('the error names why Rate is no column, and does not suggest loading a folder with --schemas', async () => {
  const [dir, schemas] = [await emittedDataDir([SAMPLES.cash_deposit!]), schemasWithRate()];
  const r = await runCli(['--data-dir', dir, '--schemas', schemas, 'query', 'SELECT Rate FROM events']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '"Rate" is not a column of events: the loaded schemas have it, but outgoing_payment v1 declares no string, integer, boolean or');
  assert.not.match(r.stderr, 'loaded with --schemas DIR');
});

test.run();
