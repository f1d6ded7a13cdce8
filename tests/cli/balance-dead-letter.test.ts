// `eventlake balance ACCOUNT` and GET /balances/ACCOUNT for an account whose events were dead-lettered (their rule
// threw) or folded before their rule was loaded: they said "the rule moves the event's other accounts", which was
// false both times. They now say what the dead-letter store and the rule itself show, and what to run.

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { unmovedAccount } from '../../cli/balance-hint.ts';
import { buildServer } from '../../cli/server.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake balance: an account whose events were dead-lettered or folded before their rule');

const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const SCHEMAS = join(EXAMPLE, 'schemas');
const EXTENSIONS = join(EXAMPLE, 'eventlake.extensions.ts');
const WITH_RULE = ['--schemas', SCHEMAS, '--extensions', EXTENSIONS];
const ACCOUNT = 'DE44-5001-0517';
const RENT = JSON.parse(readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').split('\n')[2]!) as DomainEvent;
const THROWS = { outgoing_payment: { decide: (): never => { throw new Error('rule broke'); } } };
// A first version of the rule that debited the remote account instead.
const REMOTE_ONLY = { outgoing_payment: { decide: (e: DomainEvent) => ({ counters: [{ key: String(e['TargetAccount']), delta: -1n }] }) } };

/** A data dir holding the rent payment, folded with `balanceRules` (none: skipped by both projections). */
async function withRent(balanceRules: typeof THROWS | typeof REMOTE_ONLY | Record<string, never>): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS], balanceRules, dispatch: { baseDelayMs: 0, maxDelayMs: 0 } });
  try {
    await local.lake.append(local.lake.prepare([RENT]));
  } finally {
    await local.close();
  }
  return dataDir;
}

test('an account whose only event was dead-lettered says so, with the error and `dlq list` with the same --data-dir and --schemas', async () => {
  const dataDir = await withRent(THROWS);
  const r = await runCli(['--data-dir', dataDir, '--schemas', SCHEMAS, 'balance', ACCOUNT]);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, `eventlake: EVENT_NOT_FOUND: no event at account ${ACCOUNT} that changes its balance in projection balances: the index has 1 event naming it (1 outgoing_payment), but 1 event naming it is dead-lettered on balances (last error: Error: rule broke): eventlake --data-dir ${dataDir} --schemas ${SCHEMAS} dlq list\n`);
});

test('an account whose event was folded before its rule was loaded says to rebuild both projections, with the same global options', async () => {
  const dataDir = await withRent({});
  const r = await runCli(['--data-dir', dataDir, ...WITH_RULE, 'balance', ACCOUNT]);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, `eventlake: EVENT_NOT_FOUND: no event at account ${ACCOUNT} that changes its balance in projection balances: the index has 1 event naming it (1 outgoing_payment), but balances folded its outgoing_payment events before their rule was loaded (the rule moves it): rebuild balances with the same --extensions (eventlake --data-dir ${dataDir} --schemas ${SCHEMAS} --extensions ${EXTENSIONS} rebuild --projection balances --from 0), and statement likewise\n`);
});

test('an account whose event was folded with an earlier rule that did not move it says to rebuild', async () => {
  const dataDir = await withRent(REMOTE_ONLY);
  const r = await runCli(['--data-dir', dataDir, ...WITH_RULE, 'balance', ACCOUNT]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `but balances folded its outgoing_payment events with an earlier rule (the loaded one moves it): rebuild balances with the same --extensions (eventlake --data-dir ${dataDir} --schemas ${SCHEMAS} --extensions ${EXTENSIONS} rebuild --projection balances --from 0), and statement likewise\n`);
});

test('an account whose event was skipped, read with a rule that throws on it, names the rule\'s error', async () => {
  const local = await openLocalEventlake({ dataDir: await withRent({}), schemaFolders: [SCHEMAS], balanceRules: THROWS });
  try {
    const why = await unmovedAccount(local, ACCOUNT);
    assert.match(why?.message ?? '', 'but the outgoing_payment rule of balances throws on those events (rule broke)');
  } finally {
    await local.close();
  }
});

test('the remote account of an event folded before its rule still says the rule moves the event\'s other accounts', async () => {
  const dataDir = await withRent({});
  const r = await runCli(['--data-dir', dataDir, ...WITH_RULE, 'balance', String(RENT['TargetAccount'])]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, "but the outgoing_payment rule of balances moves the event's other accounts\n");
});

test('GET /balances/ACCOUNT of an account whose event was dead-lettered is a 404 saying so', async () => {
  const dataDir = await withRent(THROWS);
  const local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS] });
  const app = buildServer(local);
  try {
    const r = await app.inject({ method: 'GET', url: `/balances/${ACCOUNT}` });
    assert.is(r.statusCode, 404);
    assert.match((r.json() as { message: string }).message, '1 event naming it is dead-lettered on balances (last error: Error: rule broke): eventlake dlq list');
  } finally {
    await app.close();
    await local.close();
  }
});

test.run();
