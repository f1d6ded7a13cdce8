// `eventlake status` on a data dir whose dispatch an upcaster blocks: it says so, names the event and the cause, and
// gives the fix that works instead of a catch-up that cannot happen; asking still changes nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { RENAMES, feeType } from './schema-evolution-fixture.ts';
import { BLOCKED_ID, UPCASTER_FAULT, blockedLake } from './status-blocked-fixture.ts';

const test = suite('eventlake status while dispatch is blocked');

test('the text form says dispatch is blocked at the refused event, with its cause and fix, not that a run catches up', async () => {
  const { args } = await blockedLake();
  const r = await runCli([...args, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^dispatch: +BLOCKED at position 4 by ${BLOCKED_ID} \\(account_fee_charged v1\\), 1 behind; every read fails until it is fixed$`, 'm'));
  assert.match(r.stdout, /^ +DISPATCH_BLOCKED: dispatch stopped at position 4 .*UPCAST_FAILED: .*FeeKind has no FeeType.*until the schemas or upcasters are fixed/m);
  assert.not.match(r.stdout, 'catches up');
});

test('--json holds the block (position, event, type, version, cause) beside the lag, and asking twice changes nothing', async () => {
  const { args } = await blockedLake();
  const first = JSON.parse((await runCli([...args, 'status', '--json'])).stdout) as Record<string, unknown>;
  const again = JSON.parse((await runCli([...args, 'status', '--json'])).stdout) as Record<string, unknown>;
  assert.is(first['dispatchedPosition'], 3);
  assert.is(first['undispatchedPositions'], 1);
  const blocked = first['dispatchBlocked'] as Record<string, unknown>;
  assert.equal({ ...blocked, message: undefined, cause: undefined }, {
    code: 'DISPATCH_BLOCKED', position: 4, eventId: BLOCKED_ID, eventType: 'account_fee_charged', schemaVersion: 1, message: undefined, cause: undefined,
  });
  assert.match(String(blocked['message']), 'until the schemas or upcasters are fixed');
  const cause = blocked['cause'] as { code: string; message: string };
  assert.is(cause.code, 'UPCAST_FAILED');
  assert.match(cause.message, UPCASTER_FAULT);
  assert.equal(again, first);
});

test('a refused event behind undispatched ones that upcast is found, and finding it dispatches none of them', async () => {
  const { args } = await blockedLake({ neverDrained: true });
  for (let i = 0; i < 2; i++) {
    const status = JSON.parse((await runCli([...args, 'status', '--json'])).stdout) as { dispatchedPosition: number; undispatchedPositions: number; dispatchBlocked?: { position: number; eventId: string } };
    assert.equal([status.dispatchedPosition, status.undispatchedPositions, status.dispatchBlocked?.position, status.dispatchBlocked?.eventId], [0, 4, 4, BLOCKED_ID]);
  }
});

test('once the upcaster is fixed the block is gone from status: nothing recorded outlives the fault', async () => {
  const { dataDir } = await blockedLake();
  const fixed = feeType(RENAMES);
  const r = await runCli(['--data-dir', dataDir, '--schemas', fixed.schemas, '--extensions', fixed.module, 'status']);
  assert.match(r.stdout, /^dispatch: +at position 3, 1 behind \(`eventlake --data-dir .* run` or any emit or read catches up\)$/m);
  assert.not.match(r.stdout, 'BLOCKED');
});

test.run();
