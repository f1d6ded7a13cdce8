// `schemas check` reports what the registry refuses about declared account fields across a folder's schemas (a field
// the events table cannot read as a string column of that name), at the declaring file's keyword, so that the lint
// passing means the folder loads.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { ACCOUNT_FIELDS_SCHEMAS } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

/** A folder with card_payment v1 (declaring CardAccount) and a copy of it as `other`, whose CardAccount is `field`. */
function folderWith(other: string, field: Record<string, unknown>): string {
  const text = readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8');
  const dir = tempDir();
  writeFileSync(join(dir, 'card_payment.v1.json'), text);
  const schema = JSON.parse(text.replaceAll('card_payment', other)) as Record<string, unknown>;
  (schema['properties'] as Record<string, unknown>)['CardAccount'] = field;
  delete schema['x-eventlake-accounts'];
  writeFileSync(join(dir, `${other}.v1.json`), JSON.stringify(schema));
  return dir;
}

const lint = (dir: string) => checkSchemaFolder(dir).findings.map((f) => `${basename(f.file)}#${f.pointer} ${f.rule}: ${f.message}`);

const test = suite('schemas check: declared account fields across the folder');

test('a declared field another schema of the folder types otherwise is a column finding (its column is text), not an accounts one', () => {
  assert.equal(lint(folderWith('a_card_count', { type: 'integer' })).map((f) => f.slice(0, f.indexOf(':'))), ['card_payment.v1.json#/properties/CardAccount column']);
});

test('the same field as a string in another schema is no finding', () => {
  assert.equal(lint(folderWith('a_card_refund', { type: 'string' })), []);
});

test.run();
