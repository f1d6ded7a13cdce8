// The child process a synth runs to check the extensions module (infra/check-user-code.ts) never holds the synth up:
// a module that leaves a handle open once loaded is still checked, and one that does not finish loading within the
// bound is refused, naming the bound and the fix, instead of hanging `cdk synth` with nothing said.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkUserCode } from '../../infra/check-user-code.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('synth check of the extensions module: the child process');

/** An extensions module of `source` (ES module syntax), with one balance rule for `type`. */
function moduleOf(source: string, type = 'incoming_payment'): string {
  const file = join(tempDir(), 'extensions.mjs');
  writeFileSync(file, `${source}\nexport const balanceRules = { ${type}: { decide: () => ({ counters: [] }) } };\n`);
  return file;
}

test('a module that keeps a timer running after it loaded is checked and accepted', () => {
  const started = Date.now();
  checkUserCode([], moduleOf('setInterval(() => {}, 60_000);'), 60_000);
  assert.ok(Date.now() - started < 30_000, 'answered without waiting on the timer');
});

test('a module that keeps a timer running is still refused when it is wrong', () => {
  try {
    checkUserCode([], moduleOf('setInterval(() => {}, 60_000);', 'no_such_type'), 60_000);
    assert.unreachable('a rule for a type no schema defines was accepted');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.match((error as Error).message, /no_such_type/);
  }
});

test('a module that does not finish loading within the bound is refused, naming the bound and the fix', () => {
  try {
    checkUserCode([], moduleOf('await new Promise((done) => setTimeout(done, 60_000));'), 4_000);
    assert.unreachable('the synth waited on the module');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.match((error as Error).message, /took more than 4000 ms/);
    assert.match((error as Error).message, /make the module load without waiting/);
  }
});

test.run();
