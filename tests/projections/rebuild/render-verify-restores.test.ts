// The text of a verification says what it restored, when it restored anything: its restores are billed like the
// replay's, and the rebuild's own line counts the replay's only.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderVerify } from '../../../projections/rebuild/render.ts';
import type { VerifyReport } from '../../../projections/rebuild/verify.ts';

const test = suite('render: restores of a verification');

const PASSED: VerifyReport = { projection: 'balances', generation: 4, against: 'log', reference: 'a direct fold of the log', mark: 120, passed: true, accounts: 5, rows: 0, differences: [] };

test('a verification that restored archived objects says how many, of how many archived ones it read, and after how many polls', () => {
  const lines = renderVerify({ ...PASSED, rehydrated: { objects: 12, requested: { Standard: 9 }, alreadyReadable: 2, polls: 3 } });
  assert.is(lines[1], '  verification restored 10 of 12 archived object(s) (9 Standard restore request(s), 3 poll(s))');
});

test('a verification that restored nothing renders as one without restores', () => {
  const without = renderVerify(PASSED);
  assert.equal(renderVerify({ ...PASSED, rehydrated: { objects: 4, requested: {}, alreadyReadable: 4, polls: 0 } }), without);
  assert.is(without.length, 1);
});

test.run();
