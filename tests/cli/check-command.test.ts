// `eventlake check`: exit 0 with "whole" on a healthy data dir, 1 with the findings on a damaged one, JSON for
// scripts, and 2 with the error on stderr and nothing on stdout when it could not check at all (a path that is not a
// data dir, not created; an unreadable index.db; a bad option), so scripts can tell "damaged" from "could not look".

import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LogCheckReport } from '../../adapters/local/log-check.ts';
import { healthyDataDir, listing, objectFiles } from '../support/check-data-dir.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { runCli } from '../security/cli-run.ts';
import { appendPastIndexer } from '../support/stalled-indexer.ts';
import { tempDir } from '../support/tmp.ts';

const healthyCopy = fixtureCopies(healthyDataDir);
const test = suite<{ dir: string }>('eventlake check (CLI)');
test.before.each(async (ctx) => {
  ctx.dir = await healthyCopy();
});

test('a healthy data dir is whole: exit 0, and the data dir is not written', async ({ dir }) => {
  const before = listing(dir);
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `${dir}: whole`);
  assert.match(r.stdout, /identity digests agree/);
  assert.match(r.stdout, /the indexer \(cursor \d+ in index\.db\) holds none of them/);
  assert.equal(listing(dir), before);
});

test('a damaged data dir exits 1 and names each finding with examples, up to --limit', async ({ dir }) => {
  const batches = objectFiles(dir, 'batch-').slice(0, 3);
  for (const f of batches) unlinkSync(join(dir, f));
  const r = await runCli(['--data-dir', dir, 'check', '--limit', '1']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, 'NOT whole');
  assert.match(r.stdout, /missingObject: \d+ — index rows whose object is on disk nowhere/);
  assert.match(r.stdout, batches[0]!);
  assert.match(r.stdout, '… 2 more not shown (--limit)');
});

test('--json prints the report as one JSON object, every category included', async ({ dir }) => {
  unlinkSync(join(dir, objectFiles(dir, 'batch-')[0]!));
  const r = await runCli(['--data-dir', dir, 'check', '--json']);
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as LogCheckReport;
  assert.is(report.whole, false);
  assert.ok(report.findings.missingObject.count > 0);
  assert.is(report.findings.tornLine.count, 0);
});

test('--no-archived leaves archived objects unread and says so', async ({ dir }) => {
  const r = await runCli(['--data-dir', dir, 'check', '--no-archived']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /archivedNotRead: \d+ \(harmless\)/);
});

test('the report says how much journal is kept and what the indexer holds of it, which leaves the log whole', async ({ dir }) => {
  await appendPastIndexer(dir, 3);
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /^journal: 4 segments, \d+ bytes kept \(offsets 0 to \d+\); the indexer \(cursor \d+ in index\.db\) holds 2 segments, \d+ bytes, until it reads past them$/m);
});

test('a path that is not a data dir could not be checked: exit 2, the field and the fix on stderr, and not created', async () => {
  const missing = join(tempDir(), 'not-a-data-dir');
  const r = await runCli(['--data-dir', missing, 'check']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /INVALID_ARGUMENT: dataDir: .*not-a-data-dir is not a folder; point --data-dir/);
  assert.not.ok(existsSync(missing));
});

test('an index.db that is not a SQLite database could not be checked: exit 2 naming the file, not exit 1', async ({ dir }) => {
  writeFileSync(join(dir, 'index.db'), 'not a database '.repeat(500));
  const r = await runCli(['--data-dir', dir, 'check', '--json']);
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /INVALID_ARGUMENT: dataDir: .*index\.db is not a readable SQLite database .*restore it from a backup/);
});

test('a bad --limit could not be checked: exit 2 naming the option, nothing on stdout', async ({ dir }) => {
  const r = await runCli(['--data-dir', dir, 'check', '--limit', 'many']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /INVALID_ARGUMENT: --limit: many is not a whole number/);
});

test('an unknown flag could not be checked: exit 2, nothing on stdout', async ({ dir }) => {
  const r = await runCli(['--data-dir', dir, 'check', '--bogus']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /unknown option '--bogus'/);
});

test('another command keeps exit 1 for a typed error: only check moved its errors to 2', async () => {
  const r = await runCli(['--data-dir', join(tempDir(), 'empty'), 'events', '--since', 'yesterday-ish']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /INVALID_ARGUMENT: --since/);
});

test.run();
