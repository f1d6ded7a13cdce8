// `repair index --target aws` says how many content digests it recorded (entries indexed before digests): the count
// was in the report's JSON only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IndexAccountsRepair } from '../../adapters/aws/dynamodb-index-accounts-repair.ts';
import { renderIndexAccountsRepair } from '../../cli/commands/repair-index-aws.ts';

const counts = { scanned: 3, updated: 0, alreadyRight: 3, archivedSkipped: 0, changedConcurrently: 0, missing: 0 };
const report = (digestsRecorded: number): IndexAccountsRepair => ({ ...counts, byType: {}, archivedObjects: [], unknownTypes: [], digestsRecorded });

const test = suite('repair index --target aws: digests recorded');

test('the lines name the digests recorded', () => {
  assert.ok(renderIndexAccountsRepair(report(2)).includes('content digests recorded: 2 (entries indexed before digests)'));
});

test('no line when none was missing', () => {
  assert.not.ok(renderIndexAccountsRepair(report(0)).some((l) => l.includes('digests')));
});

test.run();
