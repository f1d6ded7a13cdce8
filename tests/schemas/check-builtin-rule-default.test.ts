// The library's checkSchemaFolder reports what `schemas check` does about built-in types newer than their built-in
// rules (`builtin-rule`) without being told how: the built-in rules' versions are its default, `balanceRules` the
// rules a lake replaces them with, and a caller's own `builtinRuleProblem` still decides when given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { basename } from 'node:path';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { compatibleDepositV2Folder } from '../support/deposit-v2-folder.ts';

/** The folder's builtin-rule findings. */
const lint = (options?: Parameters<typeof checkSchemaFolder>[1]) => checkSchemaFolder(compatibleDepositV2Folder(), options).findings
  .filter((f) => f.rule === 'builtin-rule').map((f) => ({ file: basename(f.file), message: f.message }));
const replaced = { cash_deposit: { related: (e: { RequestId: string }) => [`verify_cash_deposit_${e.RequestId}`], decide: () => ({}) } };

const test = suite('checkSchemaFolder: built-in types newer than their built-in rules');

test('without options, a folder making cash_deposit v2 is a builtin-rule finding naming both fixes, as schemas check reports it', () => {
  const findings = lint();
  assert.equal(findings.map((f) => f.file), ['cash_deposit.v2.json']);
  assert.match(findings[0]!.message, 'replace the rule with balanceRules.cash_deposit');
  assert.match(findings[0]!.message, 'keep v1 as the latest version');
});

test('balanceRules replacing the cash_deposit rule leaves no finding', () => {
  assert.equal(lint({ balanceRules: replaced }), []);
});

test('a caller\'s own builtinRuleProblem still decides: its message, or none', () => {
  assert.equal(lint({ builtinRuleProblem: (type, version) => `${type} v${version}: mine` }).map((f) => f.message), ['cash_deposit v2: mine']);
  assert.equal(lint({ builtinRuleProblem: () => undefined }), []);
});

test.run();
