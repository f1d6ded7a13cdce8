// checkLog given a schema registry puts every stored event to the validation replay runs (registry.validateStored):
// a schema file edited in place or an object edited by hand is found by `check`, not by the rebuild that stops at it.

import { writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog, FINDINGS, HARMLESS_FINDINGS, type LogCheckReport } from '../../../adapters/local/log-check.ts';
import { eventId } from '../../../domain/event.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { DEPOSIT, editLine, parcel, parcelSchema, schemasDataDir, type SchemasDataDir } from '../../support/check-schemas-data-dir.ts';

const test = suite<SchemasDataDir>('checkLog: stored events against their schemas');
test.before.each(async (ctx) => {
  Object.assign(ctx, await schemasDataDir());
});

const found = (report: LogCheckReport) => Object.fromEntries(Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));
const check = (lake: string, folders: string[]) => checkLog(lake, { registry: SchemaRegistry.load({ folders }) });

test('a log whose events pass their stored versions (an old version upcast included) has no schema finding', async ({ lake, schemas }) => {
  const report = await check(lake, [schemas]);
  assert.equal(found(report), {});
  assert.equal([report.findings.invalidEvent.count, report.findings.unknownSchema.count], [0, 0]);
  assert.ok(report.whole);
});

test('a schema file changed in place after its events were stored makes them invalidEvent, naming the field and the file', async ({ lake, schemas, schemaFile }) => {
  writeFileSync(schemaFile, parcelSchema(['UPS']));
  const report = await check(lake, [schemas]);
  assert.equal(found(report), { invalidEvent: 2 });
  assert.not.ok(report.whole);
  const [example] = report.findings.invalidEvent.examples;
  assert.match(example!, `${eventId(parcel(1))} at `);
  assert.match(example!, `fails parcel_shipped v1 (${schemaFile}): /Carrier `);
});

test('an object edited by hand to a value its schema refuses makes that event invalidEvent, at its line', async ({ lake, schemas }) => {
  const { id, place } = editLine(lake, DEPOSIT, '"LocationType":"ATM"', '"LocationType":"ATX"');
  const report = await check(lake, [schemas]);
  assert.equal(found(report), { invalidEvent: 1 });
  assert.match(report.findings.invalidEvent.examples[0]!, `${id} at ${place}: fails cash_deposit v1 (`);
  assert.match(report.findings.invalidEvent.examples[0]!, '/LocationType must be equal to one of the allowed values');
});

test('a stored event only input checks refuse (a lone surrogate) is unqueryableEvent, not invalidEvent: replay reads it', async ({ lake, schemas }) => {
  editLine(lake, DEPOSIT, 'Some F', '\\udc00');
  const report = await check(lake, [schemas]);
  assert.equal(found(report), { unqueryableEvent: 1 });
});

test('a stored type no loaded schema defines is unknownSchema, naming the type, version and file to load', async ({ lake }) => {
  const report = await check(lake, []);
  assert.equal(found(report), { unknownSchema: 2 });
  assert.match(report.findings.unknownSchema.examples[0]!, `${eventId(parcel(1))} at `);
  assert.match(report.findings.unknownSchema.examples[0]!, 'parcel_shipped v1: no loaded schema defines it (load the folder with parcel_shipped.v1.json)');
});

test('both findings make the log not whole, and say what to do', () => {
  assert.not.ok(HARMLESS_FINDINGS.has('invalidEvent') || HARMLESS_FINDINGS.has('unknownSchema'));
  assert.match(FINDINGS.invalidEvent, 'restore it as it was and put the change in a new version with an upcaster');
  assert.match(FINDINGS.invalidEvent, 'eventlake schemas check DIR');
  assert.match(FINDINGS.unknownSchema, '--schemas or EVENTLAKE_SCHEMAS');
});

test('without a registry, events are not validated (a library caller opts in)', async ({ lake, schemaFile }) => {
  writeFileSync(schemaFile, parcelSchema(['UPS']));
  assert.equal(found(await checkLog(lake)), {});
});

test.run();
