// Data directory permissions: after a demo-like run (the CLI demo: emit, dispatch, snapshots, archive, restore,
// rebuild, verify, promote; then a DuckDB query and an emit over the CLI) every folder is 0700 and every file 0600,
// even under umask 000, so the modes are set explicitly and not borrowed from the user's umask.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLES } from '../support/samples.ts';
import { Tally } from '../support/summary.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('data directory permissions');
const tally = new Tally();
const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

/** `eventlake ...args` in a shell with umask 000; throws with its output unless it exits 0. */
function cli(args: readonly string[]): string {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('sh', ['-c', `umask 000 && exec '${process.execPath}' --import tsx '${CLI}' ${quoted}`], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`eventlake ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function walk(dir: string): { path: string; dir: boolean; mode: number }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const s = statSync(path);
    const entry = { path, dir: s.isDirectory(), mode: s.mode & 0o777 };
    return entry.dir ? [entry, ...walk(path)] : [entry];
  });
}

test('after a demo-like run under umask 000, every folder is 0700 and every file 0600', () => {
  const root = tempDir('eventlake-perms-');
  const dataDir = join(root, 'data');
  const report = cli(['demo', '--days', '8', '--events-per-day', '6', '--accounts', '3', '--restore-delay-ms', '0', '--data-dir', dataDir]);
  assert.match(report, 'verification: passed');
  cli(['--data-dir', dataDir, 'query', '--named', 'counts_per_type_per_day', '--json']);
  const input = join(root, 'one.json');
  writeFileSync(input, JSON.stringify({ ...SAMPLES['incoming_payment'], RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-000000000001' }));
  cli(['--data-dir', dataDir, 'emit', input]);
  const entries = [{ path: dataDir, dir: true, mode: statSync(dataDir).mode & 0o777 }, ...walk(dataDir)];
  const wrong = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.mode.toString(8)} ${e.path.slice(dataDir.length)}`);
  const kinds = new Set(entries.map((e) => e.path.slice(dataDir.length + 1).split('/')[0]));
  tally.add('permissions', { 'paths checked': entries.length, 'wrong modes': wrong.length });
  assert.ok(['events', 'journal', 'archive', 'snapshots', 'index.db', 'projections.db', 'dispatch.db', 'archive.db'].every((k) => kinds.has(k)), `the run touched every part of the layout: ${[...kinds].join(', ')}`);
  assert.equal(wrong, []);
});

test.run();
