// `eventlake check` on a local data dir after a compaction stopped between relocating and removing: the originals it
// left are listed as harmless compaction leftovers, worded as --target aws words them, and the log is whole (exit 0).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LogCheckReport } from '../../adapters/local/log-check.ts';
import { serializeEvent } from '../../domain/event.ts';
import { followUp } from '../../cli/follow-up.ts';
import { compactionLeftoverFinding } from '../../projections/log-index-check-report.ts';
import { runCli } from '../security/cli-run.ts';
import { EVENTS, interruptedCompaction, PREFIX, SEGMENT } from '../support/interrupted-compaction-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake check (CLI), compaction leftovers');

test('originals a stopped compaction relocated but did not remove leave the data dir whole: exit 0, listed as harmless leftovers with the run that removes them', async () => {
  const dir = tempDir();
  const [first] = await interruptedCompaction(dir);
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, `${dir}: whole`);
  assert.ok(r.stdout.includes(`\ncompactionLeftover: ${EVENTS.length} (harmless) — ${compactionLeftoverFinding(followUp({ dataDir: dir, schemaFolders: [] }))}\n`), r.stdout);
  assert.match(r.stdout, `eventlake --data-dir ${dir} archive run`);
  assert.match(r.stdout, `  ${first}: `);
  assert.match(r.stdout, `already in ${SEGMENT}, byte for byte`);
  assert.not.match(r.stdout, /extraCopy|orphanObject/);
});

test('--json counts them as compactionLeftover and says whole', async () => {
  const dir = tempDir();
  await interruptedCompaction(dir);
  const r = await runCli(['--data-dir', dir, 'check', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as LogCheckReport;
  assert.ok(report.whole);
  assert.is(report.findings.compactionLeftover.count, EVENTS.length);
  assert.is(report.findings.extraCopy.count, 0);
});

test('a copy that is not exactly a leftover still makes the data dir not whole: exit 1, extraCopy', async () => {
  const dir = tempDir();
  await interruptedCompaction(dir);
  writeFileSync(join(dir, `${PREFIX}segment-9.ndjson`), `${serializeEvent(EVENTS[0]!)}\n`);
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, 'NOT whole');
  assert.match(r.stdout, /extraCopy: 1 — /);
  assert.match(r.stdout, /compactionLeftover: \d+ \(harmless\)/);
});

test.run();
