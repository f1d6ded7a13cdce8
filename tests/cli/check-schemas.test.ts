// `eventlake check` validates every stored event with the registry replay would use (--schemas, the extensions'
// upcasters): an event a rebuild would stop at makes the log not whole (exit 1), with the fix spelled as run.

import { writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LogCheckReport } from '../../adapters/local/log-check.ts';
import { DEPOSIT, editLine, schemasDataDir, type SchemasDataDir } from '../support/check-schemas-data-dir.ts';
import { runCli } from '../security/cli-run.ts';

const test = suite<SchemasDataDir>('eventlake check: stored events against their schemas');
test.before.each(async (ctx) => {
  Object.assign(ctx, await schemasDataDir());
});

test('an event edited by hand is invalidEvent: exit 1, the fix naming schemas check as run, the example under it', async ({ lake, schemas }) => {
  const { id, place } = editLine(lake, DEPOSIT, '"LocationType":"ATM"', '"LocationType":"ATX"');
  const r = await runCli(['--data-dir', lake, '--schemas', schemas, 'check']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, `invalidEvent: 1 — stored events that fail the validation replay runs on them`);
  assert.match(r.stdout, `(\`eventlake --data-dir ${lake} --schemas ${schemas} schemas check DIR\` lints the set)`);
  assert.match(r.stdout, `  ${id} at ${place}: fails cash_deposit v1 (`);
  assert.match(r.stdout, '/LocationType must be equal to one of the allowed values');
});

test('without the schema folder its events were stored under, they are unknownSchema (exit 1)', async ({ lake }) => {
  const r = await runCli(['--data-dir', lake, 'check', '--json']);
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as LogCheckReport;
  assert.equal([report.findings.unknownSchema.count, report.findings.invalidEvent.count], [2, 0]);
});

test('a schema folder refused as a whole is "could not check" (exit 2), not a finding on every event', async ({ lake, schemas }) => {
  writeFileSync(`${schemas}/parcel_shipped.v1.json`, '{');
  const r = await runCli(['--data-dir', lake, '--schemas', schemas, 'check']);
  assert.is(r.code, 2, r.stdout);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'parcel_shipped.v1.json');
});

test.run();
