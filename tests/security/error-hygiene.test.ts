// Error hygiene: what the CLI prints on stderr and what the HTTP API answers on errors names identities, fields and
// rules, not the payload. An error about one field must not carry the event's account numbers, amounts or free
// text. Known echoes (the value of the very field being refused, or a parser's snippet of malformed input) are
// pinned here, counted in the summary and listed in docs/security.md, so a new one fails this test.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { SAMPLES } from '../support/samples.ts';
import { Tally } from '../support/summary.ts';
import { tempDir } from '../support/tmp.ts';
import { runCli } from './cli-run.ts';

const test = suite('error hygiene');
const tally = new Tally();

/** Fragments of the payload that must not show up: accounts, amounts, free text (fragments catch cut-off echoes). */
const SECRETS = ['SECR', 'HIDD', '98765', '11111', 'PRIVA'];
const RID = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const transfer = { ...SAMPLES['inter_account_transfer'], RequestId: RID, SourceAccount: 'ZZ99-SECRET-0001', TargetAccount: 'YY88-HIDDEN-0002', Amount: '98765.43', Reference: 'PRIVATE-NOTE' };
const deposit = { ...SAMPLES['cash_deposit'], TargetAccount: 'ZZ99-SECRET-0001', Reference: 'PRIVATE-NOTE' };

interface Case {
  readonly name: string;
  /** Input text, emitted after `first` (if any) was stored. */
  readonly input: string;
  readonly first?: string;
  /** Secrets this error may echo: the refused field's own value, or a parser's snippet (a known finding). */
  readonly knownEcho?: readonly string[];
}

const line = (e: unknown) => JSON.stringify(e);
const CASES: Case[] = [
  { name: 'conflict (same identity, other amount)', first: line(transfer), input: line({ ...transfer, Amount: '11111.11' }) },
  { name: 'enum field refused (LocationType)', input: line({ ...deposit, LocationType: 'Drone' }) },
  { name: 'free text too long (Reference)', input: line({ ...transfer, Reference: `PRIVATE ${'x'.repeat(140)}` }) },
  { name: 'unknown field', input: line({ ...transfer, Secret: 'PRIVATE-VALUE' }) },
  { name: 'unknown schema version', input: line({ ...transfer, SchemaVersion: 7 }) },
  { name: 'same account on both sides', input: line({ ...transfer, TargetAccount: 'ZZ99-SECRET-0001' }) },
  { name: 'amount malformed (the refused field)', input: line({ ...transfer, Amount: '98765.432' }) },
  { name: 'breakdown does not add up (domain rule on Currency)', input: line({ ...deposit, Amount: '98765.43' }), knownEcho: ['98765'] },
  { name: 'NDJSON line that is not JSON', input: `${line(transfer)}\n{"SourceAccount": ZZ99-SECRET-0001}` },
];

const leaked = (text: string) => SECRETS.filter((s) => text.includes(s));

test('CLI stderr and HTTP error bodies carry no payload beyond the known echoes of the refused field', async () => {
  const findings: string[] = [];
  let scanned = 0;
  let leaks = 0;
  for (const c of CASES) {
    const dir = tempDir('eventlake-hygiene-');
    const [firstFile, file] = [join(dir, 'first.ndjson'), join(dir, 'input.ndjson')];
    writeFileSync(file, c.input);
    if (c.first) {
      writeFileSync(firstFile, c.first);
      assert.is((await runCli(['--data-dir', join(dir, 'cli'), 'emit', firstFile])).code, 0);
    }
    const cli = await runCli(['--data-dir', join(dir, 'cli'), 'emit', file]);
    assert.is(cli.code, 1, `${c.name}: ${cli.stderr}`);
    const local = await openLocalEventlake({ dataDir: join(dir, 'http') });
    const app = buildServer(local);
    try {
      if (c.first) await app.inject({ method: 'POST', url: '/events', payload: c.first, headers: { 'content-type': 'application/x-ndjson' } });
      const http = await app.inject({ method: 'POST', url: '/events', payload: c.input, headers: { 'content-type': 'application/x-ndjson' } });
      assert.ok(http.statusCode >= 400 && http.statusCode < 500, `${c.name}: ${http.statusCode}`);
      for (const [where, text] of [['CLI stderr', cli.stderr], ['HTTP body', http.body]] as const) {
        scanned++;
        const found = leaked(text);
        const unexpected = found.filter((s) => !(c.knownEcho ?? []).includes(s));
        leaks += unexpected.length;
        if (found.length > unexpected.length) findings.push(`${c.name} (${where}) echoes ${found.join(', ')}`);
        assert.equal(unexpected, [], `${c.name} (${where}) leaks ${unexpected.join(', ')}: ${text}`);
      }
    } finally {
      await app.close();
      await local.close();
    }
  }
  tally.add('error hygiene', { 'errors scanned': scanned, leaks, 'known echoes': findings.length });
  assert.is(leaks, 0);
  assert.equal(findings.sort(), [
    'breakdown does not add up (domain rule on Currency) (CLI stderr) echoes 98765',
    'breakdown does not add up (domain rule on Currency) (HTTP body) echoes 98765',
  ]);
});

test('a dead letter and the dispatcher\'s error text name the event by identity, not by its content', async () => {
  const local = await openLocalEventlake({
    dataDir: tempDir('eventlake-hygiene-'),
    dispatch: { maxAttempts: 1, baseDelayMs: 0 },
    projections: [{ name: 'fragile', version: 1, handles: () => true, related: () => [], decide: (e) => { throw new TypeError(`${e.EventType}_${e.RequestId} cannot be handled`); } }],
  });
  try {
    await local.lake.emit(transfer);
    const [letter] = await local.deadLetters.list();
    assert.ok(letter);
    assert.equal(leaked(JSON.stringify(letter)), []);
  } finally {
    await local.close();
  }
});

test.run();
