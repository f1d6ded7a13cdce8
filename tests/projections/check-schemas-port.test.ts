// The port-level check (`eventlake check --target aws`) given the registry validates every stored event as replay
// does (registry.validateStored): from the index walk for a line an entry names, from the log walk for one no entry names.

import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { renderAwsCheck } from '../../cli/commands/check-aws-render.ts';
import { followUp } from '../../cli/follow-up.ts';
import { eventId, serializeEvent } from '../../domain/event.ts';
import { checkLogAgainstIndex, type LogIndexCheckReport } from '../../projections/log-index-check.ts';
import { HARMLESS_LOG_INDEX_FINDINGS, LOG_INDEX_FINDINGS } from '../../projections/log-index-check-report.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { objectFiles } from '../support/check-data-dir.ts';
import { DEPOSIT, editLine, parcel, parcelSchema, schemasDataDir, type SchemasDataDir } from '../support/check-schemas-data-dir.ts';

const test = suite<SchemasDataDir>('checkLogAgainstIndex: stored events against their schemas');
test.before.each(async (ctx) => {
  Object.assign(ctx, await schemasDataDir());
});

async function check(lake: string, folders: string[]): Promise<LogIndexCheckReport> {
  const local = await openLocalEventlake({ dataDir: lake, schemaFolders: folders });
  try {
    return await checkLogAgainstIndex(local, { registry: SchemaRegistry.load({ folders }) });
  } finally {
    await local.close();
  }
}

const found = (report: LogIndexCheckReport) => Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));

test('a log whose events pass their stored versions has no schema finding', async ({ lake, schemas }) => {
  const report = await check(lake, [schemas]);
  assert.equal(found(report), {});
  assert.ok(report.whole);
});

test('a schema file changed in place makes its indexed events invalidEvent, once each, naming the field and the file', async ({ lake, schemas, schemaFile }) => {
  writeFileSync(schemaFile, parcelSchema(['UPS']));
  const report = await check(lake, [schemas]);
  assert.equal(found(report), { invalidEvent: 2 });
  assert.not.ok(report.whole);
  assert.match(report.findings.invalidEvent.examples[0]!, `${eventId(parcel(1))} at `);
  assert.match(report.findings.invalidEvent.examples[0]!, `fails parcel_shipped v1 (${schemaFile}): /Carrier `);
});

test('an indexed event edited by hand is invalidEvent at the place its entry names', async ({ lake, schemas }) => {
  const { id, place } = editLine(lake, DEPOSIT, '"LocationType":"ATM"', '"LocationType":"ATX"');
  const report = await check(lake, [schemas]);
  assert.equal(found(report), { invalidEvent: 1 });
  assert.match(report.findings.invalidEvent.examples[0]!, `${id} at ${place}: fails cash_deposit v1 (`);
});

test('an unindexed stored line its schema refuses is named by the log walk, beside its unindexed event', async ({ lake, schemas }) => {
  const other = { ...DEPOSIT, RequestId: '00000000-0000-4000-8000-00000000beef', LocationType: 'ATX' };
  appendFileSync(join(lake, objectFiles(lake, '.ndjson')[0]!), `${serializeEvent(other)}\n`);
  const report = await check(lake, [schemas]);
  assert.equal(found(report), { unindexedEvent: 1, invalidEvent: 1 });
  assert.match(report.findings.invalidEvent.examples[0]!, `${eventId(other)} at `);
});

test('a stored event only input checks refuse (a lone surrogate) is unqueryableEvent, not invalidEvent', async ({ lake, schemas }) => {
  editLine(lake, DEPOSIT, 'Some F', '\\udc00');
  assert.equal(found(await check(lake, [schemas])), { unqueryableEvent: 1 });
});

test('a stored type no loaded schema defines is unknownSchema', async ({ lake, schemas }) => {
  const local = await openLocalEventlake({ dataDir: lake, schemaFolders: [schemas] });
  try {
    const report = await checkLogAgainstIndex(local, { registry: SchemaRegistry.load() });
    assert.equal(found(report), { unknownSchema: 2 });
    assert.match(report.findings.unknownSchema.examples[0]!, 'parcel_shipped v1: no loaded schema defines it');
  } finally {
    await local.close();
  }
});

test('both findings leave the stack not whole, and the text report spells the fix as the CLI was run', () => {
  assert.not.ok(HARMLESS_LOG_INDEX_FINDINGS.has('invalidEvent') || HARMLESS_LOG_INDEX_FINDINGS.has('unknownSchema'));
  const none = Object.fromEntries(Object.keys(LOG_INDEX_FINDINGS).map((k) => [k, { count: 0, examples: [], omitted: 0 }])) as unknown as LogIndexCheckReport['findings'];
  const findings = { ...none, invalidEvent: { count: 1, examples: ['e at k: fails'], omitted: 0 } };
  const spell = followUp({ dataDir: '/srv/lake', schemaFolders: ['/srv/schemas'] });
  const lines = renderAwsCheck('s3://lake', { whole: false, checked: { objects: 1, events: 1, indexEntries: 1, restoredObjects: 0 }, archived: { objects: 0, events: 0 }, findings }, spell);
  assert.match(lines.join('\n'), 'invalidEvent: 1 — stored events that fail the validation replay runs on them');
  assert.match(lines.join('\n'), '`eventlake --data-dir /srv/lake --schemas /srv/schemas schemas check DIR`');
});

test.run();
