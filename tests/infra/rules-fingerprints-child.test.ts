// The child process a synth runs to compute the rules fingerprints (infra/rules-fingerprints.ts) never holds the synth
// up: a module that leaves a handle open once loaded (a timer, a connection pool made at import) still answers, and one
// that does not finish loading within the bound is refused, naming the bound and the fix, instead of hanging
// `cdk synth` with nothing said.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { synthRulesFingerprints } from '../../infra/rules-fingerprints.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('synth rules fingerprints: the child process');

/** An extensions module of `source` (ES module syntax), with one balance rule. */
function moduleOf(source: string): string {
  const file = join(tempDir(), 'extensions.mjs');
  writeFileSync(file, `${source}\nexport const balanceRules = { incoming_payment: { decide: () => ({ counters: [] }) } };\n`);
  return file;
}

test('a module that keeps a timer running after it loaded still gives the synth its fingerprints', () => {
  const extensions = moduleOf('setInterval(() => {}, 60_000);');
  const started = Date.now();
  const given = synthRulesFingerprints({ schemaFolders: [], extensions }, 60_000);
  assert.match(given.fingerprints['balances'] ?? '', /^balances v\d+ [0-9a-f]{12}$/);
  assert.ok(Date.now() - started < 30_000, 'answered without waiting on the timer');
});

test('a module that does not finish loading within the bound is refused, naming the bound and the fix', () => {
  const extensions = moduleOf('await new Promise((done) => setTimeout(done, 60_000));');
  try {
    synthRulesFingerprints({ schemaFolders: [], extensions }, 4_000);
    assert.unreachable('the synth waited on the module');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.match((error as Error).message, /took more than 4000 ms/);
    assert.match((error as Error).message, /make the module load without waiting/);
  }
});

test.run();
