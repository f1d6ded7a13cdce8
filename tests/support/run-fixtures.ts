// Fixtures built once per test run and shared by every test process of it: a folder built on first use under the
// run's temp dir, which the processes only read (each test copies it). Built under a name of its own and renamed into
// place, so a reader never sees a half-built folder; a lock file makes the others wait instead of building it too.

import { mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tempDir } from './tmp.ts';

/**
 * scripts/test.mjs makes a fresh folder per run (EVENTLAKE_TEST_RUN_FIXTURES) and removes it at the end: a fixture kept
 * there cannot outlive the code that built it. Elsewhere (a file run alone) a fixture kept across runs could be stale,
 * so it is built per process instead.
 */
function runFolder(): string | undefined {
  return process.env.EVENTLAKE_TEST_RUN_FIXTURES || undefined;
}

const built = new Map<string, Promise<string>>();
const sleep = (ms: number) => new Promise((resume) => setTimeout(resume, ms));
/** A builder killed by the runner (240 s) frees its lock by dying; a live one longer than this is waited out no more. */
const MAX_WAIT_MS = 180_000;

/**
 * The folder `build` fills, built once per test run for `key` (any string naming what shapes the fixture) and
 * shared read-only: callers copy it, never write to it. `build` gets an empty folder to fill and must leave no
 * database open and no absolute path of that folder inside it (the folder is renamed once built).
 *
 * @example
 * const template = await runFixture('deposits-40000', (dir) => emitDeposits(dir));
 * cpSync(template, join(tempDir(), 'lake'), { recursive: true });
 */
export function runFixture(key: string, build: (dir: string) => Promise<void>): Promise<string> {
  let fixture = built.get(key);
  if (fixture === undefined) {
    fixture = sharedBuild(key, build);
    built.set(key, fixture);
  }
  return fixture;
}

/** The folder name of fixture `key` in the run's folder (its lock is this name + `.lock`). */
export function fixtureName(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

async function sharedBuild(key: string, build: (dir: string) => Promise<void>): Promise<string> {
  const root = runFolder();
  if (root === undefined) {
    const dir = join(tempDir(), 'fixture');
    await build(dir);
    return dir;
  }
  mkdirSync(root, { recursive: true });
  const final = join(root, fixtureName(key));
  const lock = `${final}.lock`;
  const started = Date.now();
  for (;;) {
    if (exists(final)) return final;
    if (takeLock(lock) || Date.now() - started > MAX_WAIT_MS) break;
    if (holderGone(lock)) rmSync(lock, { force: true });
    else await sleep(100);
  }
  try {
    if (exists(final)) return final;
    const building = `${final}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
    await build(building).catch((e: unknown) => {
      rmSync(building, { recursive: true, force: true });
      throw e;
    });
    publish(building, final);
    return final;
  } finally {
    releaseLock(lock);
  }
}

/** Rename the built folder into place; when another process won the race (a lock taken over), keep its folder. */
function publish(building: string, final: string): void {
  try {
    renameSync(building, final);
  } catch (e) {
    if (!exists(final)) throw e;
    rmSync(building, { recursive: true, force: true });
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Create the lock file holding this process's id; false when another holds it. */
function takeLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function releaseLock(lock: string): void {
  try {
    if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock, { force: true });
  } catch {
    // Gone already: taken over after this process was thought dead, or removed with the run's folder.
  }
}

/** True when the lock's holder process no longer runs (killed mid-build); an empty lock is still being written. */
function holderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
