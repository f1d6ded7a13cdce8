// Without `previous`, the library's checkSchemaFolder compares a folder with the built-in schemas, as `schemas check`
// does: a built-in type's next version has the built-in one before it, and a built-in version defined again is a
// duplicate. A caller's own `previous` still decides.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSchemaFolder, type CheckOptions } from '../../schemas/check.ts';
import { BUILTIN_SCHEMAS_DIR } from '../../schemas/registry.ts';
import { compatibleDepositV2Folder } from '../support/deposit-v2-folder.ts';
import { tempDir } from '../support/tmp.ts';

/** `file rule` of each finding but the builtin-rule one (built-in rules fit: check-builtin-rule-default.test.ts). */
const lint = (dir: string, options: CheckOptions = {}) => checkSchemaFolder(dir, { builtinRuleProblem: () => undefined, ...options }).findings
  .map((f) => `${basename(f.file)} ${f.rule}`);

const test = suite('checkSchemaFolder: the built-in schemas are the default baseline');

test('a folder adding cash_deposit v2 has the built-in v1 before it: no version-gap', () => {
  assert.equal(lint(compatibleDepositV2Folder()), []);
});

test('a caller\'s own previous still decides: one that knows no version makes the same folder a version-gap', () => {
  assert.equal(lint(compatibleDepositV2Folder(), { previous: () => undefined }), ['cash_deposit.v2.json version-gap']);
});

test('a new built-in version is checked against the built-in one: a new required field in cash_deposit v2 is a breaking change', () => {
  const dir = compatibleDepositV2Folder();
  const file = join(dir, 'cash_deposit.v2.json');
  const v2 = JSON.parse(readFileSync(file, 'utf8')) as { required: string[] };
  writeFileSync(file, JSON.stringify({ ...v2, required: [...v2.required, 'Channel'] }));
  assert.equal(lint(dir), ['cash_deposit.v2.json breaking-change']);
});

test('a folder defining a built-in version again is a duplicate, as the registry refuses it', () => {
  const dir = tempDir();
  copyFileSync(join(BUILTIN_SCHEMAS_DIR, 'incoming_payment.v1.json'), join(dir, 'incoming_payment.v1.json'));
  assert.equal(lint(dir), ['incoming_payment.v1.json duplicate']);
});

test.run();
