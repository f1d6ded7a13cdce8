// Ctrl-C (or SIGTERM) while `eventlake generations promote N` or `eventlake verify --generation N` verifies stops it
// there: exit 130/143, nothing promoted, the rebuild lease freed, and a message saying what is kept and how to go on.
// The verification's fold never yields to the event loop by itself, so before it yielded once a chunk, verify's
// signal waited until the fold was done, and generations promote (which had no handler) died holding the lease.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { balancesLease, depositLake, interruptCli } from './interrupt-support.ts';

const test = suite('eventlake verify and generations promote: interrupted while verifying');

/** Generation 2 of balances, rebuilt and kept unpromoted (finished), beside the live one. */
const KEEP = ['rebuild', '--projection', 'balances', '--from', '0', '--no-promote'];
/** The verification of a kept generation runs under the rebuild lease: held means verifying. */
const leased = (dataDir: string) => async () => (await balancesLease(dataDir)) > 0;

test('SIGINT while generations promote verifies exits 130, promotes nothing, frees the lease and says how to go on', async () => {
  const dataDir = await depositLake(KEEP);
  const r = await interruptCli(dataDir, ['generations', 'promote', '2', '--projection', 'balances'], 'SIGINT', leased(dataDir));
  assert.is(r.code, 130, r.err.slice(-2000));
  assert.match(r.err, 'eventlake: interrupted (SIGINT): generation 2 is not promoted and stays kept (its lease freed); run the same eventlake generations promote command again');
  assert.is(await balancesLease(dataDir), 0, 'the lease is free');
  const listed = await runCli(['--data-dir', dataDir, 'generations', 'list']);
  assert.match(listed.stdout, /balances\s+2\s+finished/);
});

test('SIGTERM while verify checks a kept generation exits 143, frees the lease and says nothing changed', async () => {
  const dataDir = await depositLake(KEEP);
  const r = await interruptCli(dataDir, ['verify', '--projection', 'balances', '--generation', '2'], 'SIGTERM', leased(dataDir));
  assert.is(r.code, 143, r.err.slice(-2000));
  assert.match(r.err, 'eventlake: interrupted (SIGTERM): the verification stopped before it finished (it changes no projection');
  assert.is(await balancesLease(dataDir), 0, 'the lease is free');
});

test.run();
