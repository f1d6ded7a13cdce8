// The child processes a synth runs (infra/synth-child.ts: the extensions check, infra/check-user-code.ts, and the rules
// fingerprints, infra/rules-fingerprints.ts) never hold the synth up: a module that leaves a handle open once loaded (a
// timer, a connection pool made at import) still gets its answer, and one that does not finish loading within the
// bound is refused, naming the bound and the fix, instead of hanging `cdk synth` with nothing said.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkUserCode } from '../../infra/check-user-code.ts';
import { synthRulesFingerprints } from '../../infra/rules-fingerprints.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('synth children: bounded, and done once they have answered');

/** An extensions module of `source` (ES module syntax), with one balance rule for `type`. */
function moduleOf(source: string, type = 'incoming_payment'): string {
  const file = join(tempDir(), 'extensions.mjs');
  writeFileSync(file, `${source}\nexport const balanceRules = { ${type}: { decide: () => ({ counters: [] }) } };\n`);
  return file;
}

const CHILDREN: [string, (extensions: string, timeoutMs: number) => unknown][] = [
  ['the extensions check', (extensions, timeoutMs) => checkUserCode([], extensions, timeoutMs)],
  ['the rules fingerprints', (extensions, timeoutMs) => synthRulesFingerprints({ schemaFolders: [], extensions }, timeoutMs)],
];

// The module waits 60 s, so any bound refuses it; a short one keeps the wait short (a child not yet loaded is as hung).
const BOUND_MS = 400;

for (const [name, run] of CHILDREN) {
  test(`${name}: a module that does not finish loading within the bound is refused, naming the bound and the fix`, () => {
    try {
      run(moduleOf('await new Promise((done) => setTimeout(done, 60_000));'), BOUND_MS);
      assert.unreachable('the synth waited on the module');
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.match((error as Error).message, `took more than ${BOUND_MS} ms`);
      assert.match((error as Error).message, /make the module load without waiting/);
    }
  });
}

test('the extensions check: a module that keeps a timer running after it loaded is checked and accepted', () => {
  const started = Date.now();
  checkUserCode([], moduleOf('setInterval(() => {}, 60_000);'), 60_000);
  assert.ok(Date.now() - started < 30_000, 'answered without waiting on the timer');
});

test('the extensions check: a module that keeps a timer running is still refused when it is wrong', () => {
  try {
    checkUserCode([], moduleOf('setInterval(() => {}, 60_000);', 'no_such_type'), 60_000);
    assert.unreachable('a rule for a type no schema defines was accepted');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.match((error as Error).message, /no_such_type/);
  }
});

test('the rules fingerprints: a module that keeps a timer running after it loaded still gives the synth its fingerprints', () => {
  const started = Date.now();
  const given = synthRulesFingerprints({ schemaFolders: [], extensions: moduleOf('setInterval(() => {}, 60_000);') }, 60_000);
  assert.match(given.fingerprints['balances'] ?? '', /^balances v\d+ [0-9a-f]{12}$/);
  assert.ok(Date.now() - started < 30_000, 'answered without waiting on the timer');
});

test.run();
