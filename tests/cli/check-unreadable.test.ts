// `eventlake check` on a data dir the running user cannot read (injected EACCES, no root or mount needed): it could
// not check (exit 2, the unreadable path, its owner and the fix on stderr, nothing on stdout), and never reports the
// events under an unreadable folder as missing objects.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { healthyDataDir, objectFiles } from '../support/check-data-dir.ts';
import { fixtureCopies } from '../support/fixture-copies.ts';
import { runCli } from '../security/cli-run.ts';

const healthyCopy = fixtureCopies(healthyDataDir);
const eacces = (syscall: string, path: string) => Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: 'EACCES', syscall, path });

/** Make `name` (readdirSync, statSync, readFileSync) throw EACCES for `path` until the returned function undoes it. */
function deny(name: 'readdirSync' | 'statSync' | 'readFileSync', path: string): () => void {
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!;
  target[name] = (p: unknown, ...rest: unknown[]) => {
    if (String(p) === path) throw eacces(name.replace(/Sync$/, ''), path);
    return original(p, ...rest);
  };
  syncBuiltinESMExports();
  return () => {
    target[name] = original;
    syncBuiltinESMExports();
  };
}

async function checkDenied(name: 'readdirSync' | 'statSync' | 'readFileSync', path: (dir: string) => string) {
  const dir = await healthyCopy();
  const undo = deny(name, path(dir));
  try {
    return { dir, ...(await runCli(['--data-dir', dir, 'check'])) };
  } finally {
    undo();
  }
}

const test = suite('eventlake check on what it cannot read');

test('an events folder it cannot read exits 2 naming the folder and the fix, never as missing objects', async () => {
  const r = await checkDenied('readdirSync', (dir) => join(dir, 'events'));
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, `STORAGE_FAILED: ${join(r.dir, 'events')} cannot be read (EACCES`);
  assert.match(r.stderr, 'the log was not checked');
  assert.not.match(r.stderr, 'EACCES: EACCES'); // the errno once, then the system's words
  assert.match(r.stderr, /run eventlake as the data dir's owner/);
  assert.not.match(r.stderr + r.stdout, 'missingObject');
});

test('an object file it cannot read exits 2 naming the file, not as a damaged object', async () => {
  const dir = await healthyCopy();
  const object = join(dir, objectFiles(dir, 'batch-')[0]!);
  const undo = deny('readFileSync', object);
  let r;
  try {
    r = await runCli(['--data-dir', dir, 'check']);
  } finally {
    undo();
  }
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, `STORAGE_FAILED: ${object} cannot be read (EACCES`);
});

test('a data dir it cannot enter exits 2 naming the path, its owner uid against the running uid, and the fix', async () => {
  const r = await checkDenied('statSync', (dir) => join(dir, 'index.db'));
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, `STORAGE_FAILED: ${join(r.dir, 'index.db')} cannot be read (EACCES`);
  assert.match(r.stderr, `${r.dir} is owned by uid ${fs.statSync(r.dir).uid}, eventlake runs as uid ${process.getuid!()}`);
  assert.match(r.stderr, 'nothing was opened or created');
  assert.not.match(r.stderr, /\n\s+at /); // no stack trace
});

test.run();
