// checkSchemaFolder on a folder without any `*.json`: one `no-schemas` finding, so callers that fail on findings fail.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('checkSchemaFolder: a folder without schema files');

test('an empty folder is one no-schemas finding naming the folder and to give the one that holds the schemas', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'README.md'), 'not a schema\n');
  assert.equal(checkSchemaFolder(dir), { files: 0, findings: [{ file: dir, pointer: '', rule: 'no-schemas',
    message: `${dir} holds no schema files (<event_type>.v<N>.json, e.g. outgoing_payment.v1.json) directly in it, so nothing was checked: give the folder that holds them` }] });
});

test('a folder whose subfolders hold schema files names those subfolders, not one without', () => {
  const dir = tempDir();
  for (const [sub, file] of [['v1', 'parcel.v1.json'], ['docs', 'notes.txt'], ['more', 'parcel.v2.json']] as const) {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, file), '{}');
  }
  assert.match(checkSchemaFolder(dir).findings[0]!.message, `the schemas are likely in ${join(dir, 'more')} or ${join(dir, 'v1')}: check that folder instead`);
});

test.run();
