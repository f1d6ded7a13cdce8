// The schemas known to compile: the built-in ones, by digest. A registry leaves their compilation to the first event
// that needs it (schema-compiler.ts), so that opening a lake compiles nothing that cannot fail: a command that
// validates no event of a type (balance, status, events, query) never compiles it.

import { createHash } from 'node:crypto';

/**
 * sha256 of each built-in schema's JSON text. Why a schema known by its text can wait: it compiled when this list
 * was made, and ajv's result depends on nothing else but ajv itself, whose change the tests would meet at once
 * (each of them validates built-in events). tests/schemas/known-compiled.test.ts fails, printing the new list, when
 * a built-in schema changed: until then it compiles at open, as any other does.
 */
const KNOWN: ReadonlySet<string> = new Set([
  '18a53f4486a71a92835e4c24e0a7c9ac2b0af06a7cddf115962c908785d81275', // cash_deposit.v1.json
  '9a6b0e80cfb47ad8b9822dfe651b6257ee22cbbbacc03a0200149fdf57362a89', // cash_withdrawal.v1.json
  '8e9b1d5703caf79d8d20a6c9f813978b1bda539fdcaeb68d46d3979e6aac33ee', // cash_withdrawal.v2.json
  '2f84a83ed2399f72f46668b3f7f1056bcff47a32009e286b76b0d4b0815bd703', // incoming_payment.v1.json
  '59f50db21557e4cc7491605f62615a3ab28bbba5cedd78c3de41158f4f66b564', // inter_account_transfer.v1.json
  'e24e70d781fd9838c0eaf58cd472b0f1411334796fe684ff1ff8a8ed313bce06', // verify_cash_deposit.v1.json
]);

/** The digest of a schema's JSON text as KNOWN lists it. */
export function compiledDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether the schema whose JSON text is `text` is one known to compile (a built-in one, unchanged). */
export function knownToCompile(text: string): boolean {
  return KNOWN.has(compiledDigest(text));
}
