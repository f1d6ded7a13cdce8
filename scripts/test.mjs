#!/usr/bin/env node
// Runs the whole test suite: the type check and every tests/**/*.test.ts (one more process at a time than cores, longest
// first by scripts/test-durations.json; files that took under 10 s share a process, up to 24 and 40 s at a time, see
// scripts/test-batches.mjs), and ends with one line `N passed, N failed` added up from uvu's own per-file totals.
// A file that fails in a batch runs again alone, and the alone run is its result (the note at the end names it, as a
// file that does not stand beside others). EVENTLAKE_TEST_BATCH=0 runs every file alone. `npm test -- <substring>...` runs only the files whose path contains one (and no type check);
// `npm test -- --record-durations` also writes this run's per-file seconds to scripts/test-durations.json.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { longestFirst, mergeDurations, readDurations, writeDurations } from './test-schedule.mjs';
import { startSharedServices } from './test-services.mjs';
import { planBatches, splitBatchOutput } from './test-batches.mjs';
import { END } from './test-batch-markers.mjs';

const root = new URL('..', import.meta.url).pathname;
const FLAGS = ['--record-durations'];
const unknownFlag = process.argv.slice(2).find((a) => a.startsWith('--') && !FLAGS.includes(a));
if (unknownFlag) {
  console.error(`scripts/test.mjs: unknown option ${unknownFlag} (options: ${FLAGS.join(', ')}; other arguments are path substrings)`);
  process.exit(2);
}
const record = process.argv.includes('--record-durations');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const DURATIONS = join(root, 'scripts/test-durations.json');
// Test processes load TypeScript through our own cached esbuild hooks, not tsx: see the loader's header for why.
const TS_LOADER = new URL('./ts-loader.mjs', import.meta.url).href;
const FILE_TIMEOUT_MS = Number(process.env.EVENTLAKE_TEST_TIMEOUT_MS ?? 240_000);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' ? [] : find(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Environment every test file gets beside the runner's own (the shared servers' endpoints). */
let sharedEnv = {};

function run(cmd, args, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...sharedEnv, FORCE_COLOR: '0' }, detached: true });
    let out = '', stdout = '';
    child.stdout.on('data', (d) => { out += d; stdout += d; });
    child.stderr.on('data', (d) => (out += d));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      out += `\n[test runner] killed after ${timeoutMs} ms\n`;
      try { process.kill(-child.pid, 'SIGKILL'); } catch {}
    }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); done({ code: code ?? 1, out, stdout, killed }); });
  });
}

function totals(out) {
  const num = (label) => { const m = new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(out.replace(/\x1b\[[0-9;]*m/g, '')); return m ? Number(m[1]) : undefined; };
  return { total: num('Total'), passed: num('Passed'), skipped: num('Skipped') ?? 0 };
}

let passed = 0, failed = 0, skipped = 0;
const aloneAgain = [];
const startedAt = Date.now();
const failures = [];
const summaries = [];

const files = find(join(root, 'tests')).sort().filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
const TYPECHECK = 'typecheck';
const jobsByName = new Map(files.map((f) => [relative(root, f), f]));
// The type check is one more job in the pool, not a step before it: it needs no test and no test needs it.
if (filter.length === 0) jobsByName.set(TYPECHECK, TYPECHECK);
const measured = {};

async function typecheck() {
  const started = Date.now();
  const tc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], 300_000);
  measured[TYPECHECK] = (Date.now() - started) / 1000;
  if (tc.code === 0) { passed++; console.log('ok    typecheck'); }
  else { failed++; failures.push(['typecheck', tc.out]); console.log('FAIL  typecheck'); }
}

async function testFile(name, f) {
  const started = Date.now();
  const r = await run(process.execPath, ['--import', TS_LOADER, f], FILE_TIMEOUT_MS);
  const seconds = (Date.now() - started) / 1000;
  if (!r.killed) measured[name] = seconds;
  report(name, r.out, r.code, seconds);
}

/** The files of one batch in one process; a file that failed there, or never finished, runs again alone. */
async function testBatch(names) {
  const r = await run(process.execPath, ['--import', TS_LOADER, join(root, 'scripts/test-batch.mjs'), ...names], FILE_TIMEOUT_MS);
  const results = splitBatchOutput(r.stdout);
  for (const name of names) {
    const result = results.get(name);
    const t = result && totals(result.out);
    if (t && t.total > 0 && t.passed !== undefined && t.total === t.passed + t.skipped) {
      measured[name] = result.seconds;
      report(name, result.out, 0, result.seconds);
      continue;
    }
    const why = result ? 'failed' : r.killed ? 'was killed with its batch' : 'did not finish (its batch stopped)';
    // What it said in the batch, kept: a failure that does not come back alone is otherwise lost (a leak or a flake).
    const said = result ? `\n${result.out.split('\n').filter((l) => l.trim()).slice(0, 40).map((l) => `      ${l}`).join('\n')}` : '';
    aloneAgain.push(`${name} ${why} in a batch of ${names.length} (${names[0]} …) and ran again alone${said}`);
    await testFile(name, jobsByName.get(name));
  }
  // A file's summary lines print when its process exits: for a batch, after the last file's end marker.
  const tail = r.stdout.slice(r.stdout.lastIndexOf(END));
  for (const l of tail.split('\n').filter((x) => x.startsWith('[summary]'))) { console.log(`      ${l}`); summaries.push(l); }
}

function report(name, out, code, seconds) {
  const t = totals(out);
  const secs = seconds.toFixed(1);
  const r = { out, code };
  if (t.total === undefined || t.passed === undefined) {
    failed++; failures.push([name, r.out]); console.log(`FAIL  ${name} (no summary, exit ${r.code}, ${secs}s)`);
    return;
  }
  const bad = t.total - t.passed - t.skipped;
  passed += t.passed; skipped += t.skipped;
  if (bad > 0 || r.code !== 0) {
    failed += Math.max(bad, 1); failures.push([name, r.out]);
    console.log(`FAIL  ${name} (${t.passed}/${t.total}, exit ${r.code}, ${secs}s)`);
  } else {
    console.log(`ok    ${name} (${t.passed} tests, ${secs}s)`);
  }
  const extra = out.split('\n').filter((l) => l.startsWith('[summary]'));
  for (const l of extra) { console.log(`      ${l}`); summaries.push(l); }
}

// The test files' temporary folders (and the TypeScript transform caches) go to a fresh folder on tmpfs when the machine has one:
// on a disk, the suite's thousands of fsyncs queue behind each other and a file took 2-4x its time beside others
// (generations-rules: 6.8 s alone on disk, 3.8 s on tmpfs). What the files test does not change: a process killed
// mid-write leaves the same files on tmpfs, and no test can cut the power. EVENTLAKE_TEST_TMP=disk keeps the OS temp
// dir; the CloudFormation validation cache stays there either way (it is meant to outlive a run).
process.env.EVENTLAKE_TEST_CACHE_DIR ??= join(tmpdir(), 'eventlake-test-cache');
const testTmp = testTempRoot();
if (testTmp) {
  process.env.TMPDIR = testTmp;
  process.on('exit', () => rmSync(testTmp, { recursive: true, force: true }));
}
// DuckDB runs each query on one thread per core by default; with three test files at once on two cores, two threads
// cost the query files ~30 % more CPU than one (cache-differential: 13.7 s against 9.6 s) for the same answers
// (tests/adapters/local/duckdb-threads.test.ts checks that one thread and four give the same rows).
process.env.EVENTLAKE_DUCKDB_THREADS ??= '1';
// Fixtures several files share (tests/support/run-fixtures.ts) are built once per run in a folder of the run's own,
// removed with it, so a fixture never outlives the code that built it.
const runFixtures = mkdtempSync(join(testTmp ?? tmpdir(), 'eventlake-run-fixtures-'));
process.env.EVENTLAKE_TEST_RUN_FIXTURES = runFixtures;
process.on('exit', () => rmSync(runFixtures, { recursive: true, force: true }));
function testTempRoot() {
  if (process.env.EVENTLAKE_TEST_TMP === 'disk') return undefined;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return mkdtempSync('/dev/shm/eventlake-tests-');
  } catch {
    return undefined;
  }
}

// A shared server lost mid-run: later files start their own, and the note says why files running then failed.
let lostShared;
sharedEnv = await startSharedServices(root, files, (reason) => {
  sharedEnv = {};
  lostShared = `note  the shared DynamoDB Local stopped during the run (${reason}): files using it then failed with ` +
    `"connection refused" for that reason; files started after it started their own`;
  console.log(lostShared);
});
const durations = readDurations(DURATIONS);
/** Files that import the CloudFormation validation cache start the validator's engine: they batch together. */
const VALIDATING = /from '[./]*support\/cfn-validation-cache\.ts'|import '[./]*support\/cfn-validation-cache\.ts'/;
const groups = new Map();
const startupGroup = (name) => {
  if (!groups.has(name)) groups.set(name, VALIDATING.test(readFileSync(join(root, name), 'utf8')) ? 'cfn-validation' : '');
  return groups.get(name);
};
const batchJobs = new Map();
const soloJobs = [...jobsByName.keys()];
if (process.env.EVENTLAKE_TEST_BATCH !== '0') {
  const { batches, alone } = planBatches(soloJobs.filter((n) => n !== TYPECHECK), durations, startupGroup);
  soloJobs.splice(0, soloJobs.length, ...alone, ...(jobsByName.has(TYPECHECK) ? [TYPECHECK] : []));
  for (const names of batches) batchJobs.set(`batch of ${names.length} from ${names[0]}`, names);
}
const jobSeconds = { ...durations };
for (const [job, names] of batchJobs) jobSeconds[job] = names.reduce((s, n) => s + durations[n], 0);
const queue = longestFirst([...soloJobs, ...batchJobs.keys()], jobSeconds);
async function worker() {
  for (let name = queue.shift(); name; name = queue.shift()) {
    if (batchJobs.has(name)) await testBatch(batchJobs.get(name));
    else await (name === TYPECHECK ? typecheck() : testFile(name, jobsByName.get(name)));
  }
}
// One job more than cores: the files wait on fsync, child processes and DynamoDB Local a third of the time (a clean-clone
// run used 1.3 of 2 cores with two jobs), and three jobs ran the same suite in 454 s instead of 526 s beside it.
const jobs = Math.max(1, Math.min(Number(process.env.EVENTLAKE_TEST_JOBS ?? availableParallelism() + 1), 4));
await Promise.all(Array.from({ length: jobs }, worker));
if (record) writeDurations(DURATIONS, mergeDurations(durations, measured, filter.length === 0 ? [...jobsByName.keys()] : undefined));

for (const [name, out] of failures) {
  console.log(`\n===== ${name} =====\n${out.trim()}`);
}
if (lostShared) console.log(`\n${lostShared}`);
if (aloneAgain.length > 0) console.log(`\nRan again alone (a file that fails only beside others leaks state into them):\n${aloneAgain.map((l) => `  ${l}`).join('\n')}`);
if (summaries.length > 0) console.log(`\nWhat the reliability and security suites tried:\n${summaries.sort().map((l) => `  ${l}`).join('\n')}`);
console.log(`\n${files.length} test files in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
