// `eventlake query` over archived objects whose restore is already running: the warning says so and how to see when
// they are readable, and asks for a restore only of the objects no restore is running for (a second request would
// change nothing; on AWS it fails with RestoreAlreadyInProgress).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { registerQueryCommand } from '../../cli/commands/query.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopiesOf } from '../support/fixture-copies.ts';

const test = suite('eventlake query: objects being restored (CLI)');
const RANGE = ['--since', '2024-01-01T00:00Z', '--until', '2024-01-01T03:00Z'];

/** The keys listed under the warning line that starts with `head`. */
function listedUnder(stderr: string, head: string): string[] {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith(head));
  if (at < 0) return [];
  const after = lines.slice(at + 1);
  return after.slice(0, after.findIndex((l) => !l.startsWith('  events/'))).map((l) => l.trim());
}

const line = (stderr: string, start: string) => stderr.split('\n').find((l) => l.startsWith(start));

/** A data dir whose range RANGE holds several unrestored archived objects; a slow restore of the first is requested. */
async function restoringFirstTemplate(): Promise<{ dir: string; restoring: string; others: string[] }> {
  const dir = await healthyDataDir();
  const before = await runCli(['--data-dir', dir, 'query', ...RANGE]);
  const [restoring, ...others] = listedUnder(before.stderr, 'warning: ');
  assert.ok(restoring && others.length > 0, before.stderr);
  process.env['EVENTLAKE_RESTORE_DELAY_MS'] = '3600000';
  try {
    const requested = await runCli(['--data-dir', dir, 'restore', '--keys', restoring]);
    assert.is(requested.code, 0, requested.stderr);
  } finally {
    delete process.env['EVENTLAKE_RESTORE_DELAY_MS'];
  }
  return { dir, restoring, others };
}

/** A fresh copy of that data dir, built once per file: each test reads its own copy, the restore still running. */
const restoringFirst = fixtureCopiesOf(restoringFirstTemplate);

test('the object being restored is named as such, and the printed restore command asks only for the others', async () => {
  const { dir, restoring, others } = await restoringFirst();
  const run = await runCli(['--data-dir', dir, 'query', ...RANGE]);
  assert.is(run.code, 0, run.stderr);
  assert.equal(listedUnder(run.stderr, `warning: 1 archived object(s) in the range are being restored`), [restoring]);
  assert.equal(listedUnder(run.stderr, `warning: ${others.length} archived object(s) in the range are not restored`), others);
  assert.is(line(run.stderr, 'restore them first: '), `restore them first: eventlake --data-dir ${dir} restore --keys ${others.join(' ')}`);
});

test('the printed way to see when it is done runs as printed and shows the restore running', async () => {
  const { dir, restoring } = await restoringFirst();
  const run = await runCli(['--data-dir', dir, 'query', ...RANGE]);
  const printed = line(run.stderr, 'no new request is needed; see when they are readable: eventlake ');
  assert.is(printed, `no new request is needed; see when they are readable: eventlake --data-dir ${dir} restore status --keys ${restoring}`);
  const status = await runCli([...printed!.split('eventlake ')[1]!.split(' '), '--json']);
  assert.is(status.code, 0, status.stderr);
  assert.equal(status.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { key: string; restore: string })).map((s) => [s.key, s.restore]), [[restoring, 'RESTORING']]);
});

test('with --json the same warning goes to stderr and stdout holds only the rows', async () => {
  const { dir, restoring } = await restoringFirst();
  const run = await runCli(['--data-dir', dir, 'query', 'SELECT count(*) AS n FROM events', '--json']);
  assert.is(run.code, 0, run.stderr);
  assert.equal(listedUnder(run.stderr, 'warning: 1 archived object(s) in the range are being restored'), [restoring]);
  assert.equal(Object.keys(JSON.parse(run.stdout) as object), ['n']);
});

/** stderr of `eventlake query …` answered by a query that always returns `missing`. */
async function stderrFor(missing: Pick<QueryResult, 'unreadable' | 'restoring' | 'unreadableUnchecked'>): Promise<string> {
  const err: string[] = [];
  const result: QueryResult = { columns: [], rows: [], stats: {}, ...missing };
  const query = { eventsBetween: async () => result, named: async () => result, sql: async () => result, close: async () => {} } satisfies EventQuery;
  const program = new Command().exitOverride();
  registerQueryCommand(program, async () => ({ query, close: async () => {} }), { out: () => {}, err: (t) => err.push(t) });
  await program.parseAsync(['query', 'SELECT 1'], { from: 'user' });
  return err.join('');
}

const KEYS = ['events/year=2024/month=01/day=01/hour=00/segment.ndjson', 'events/year=2024/month=01/day=01/hour=01/segment.ndjson'];

test('when every missing object is being restored (any engine, e.g. Athena), no restore is asked for', async () => {
  const stderr = await stderrFor({ unreadable: KEYS, restoring: KEYS });
  assert.match(stderr, 'warning: 2 archived object(s) in the range are being restored');
  assert.not.match(stderr, 'restore them first');
  assert.not.match(stderr, 'not restored');
});

test('an engine that does not know restore states (restoring absent) asks for a restore of every missing object, as before', async () => {
  const stderr = await stderrFor({ unreadable: KEYS });
  assert.match(stderr, `restore them first: eventlake restore --keys ${KEYS.join(' ')}`);
  assert.not.match(stderr, 'being restored');
});

test('an engine that did not look for archived objects (raw SQL on AWS) says so, and names how to find them', async () => {
  const stderr = await stderrFor({ unreadable: [], unreadableUnchecked: true });
  assert.match(stderr, 'note: raw SQL on a deployed stack does not check for archived objects');
  assert.match(stderr, 'find them with eventlake restore status --since T or a --since query\n');
});

test('an engine that looked and found nothing adds no note or warning', async () => {
  assert.not.match(await stderrFor({ unreadable: [] }), /note:|warning:/);
});

test('many objects being restored: ten keys, a count, and restore status over the hours they span', async () => {
  const keys = Array.from({ length: 12 }, (_, i) => `events/year=2024/month=01/day=01/hour=${String(i).padStart(2, '0')}/segment.ndjson`);
  const stderr = await stderrFor({ unreadable: keys, restoring: keys });
  assert.is(listedUnder(stderr, 'warning: 12 archived object(s) in the range are being restored').length, 10);
  assert.match(stderr, '  … 2 more\n');
  assert.match(stderr, 'see when they are readable: eventlake restore status --since 2024-01-01T00:00:00Z --until 2024-01-01T12:00:00Z\n');
});

test.run();
