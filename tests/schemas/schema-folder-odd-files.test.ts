// Whatever sits in a schema folder under a `.json` name is refused naming the file and what it is, by the loader and
// by `schemas check` alike: a FIFO hung both, a link to /dev/zero grew memory ~130 MB/s. Those two run in a child
// process with a time limit, so that a regression fails the test instead of hanging the suite or filling memory.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('odd files in a schema folder');
const ROOT = join(import.meta.dirname, '../..');

/** What loading and checking `dir` say, from a child killed after `ms` (status null then). */
function inChild(dir: string, ms = 20_000): { status: number | null; load: string; check: string } {
  const script = `
    import { SchemaRegistry } from './schemas/registry.ts';
    import { checkSchemaFolder } from './schemas/check.ts';
    let load = 'loaded';
    try { SchemaRegistry.load({ folders: [${JSON.stringify(dir)}], withoutBuiltins: true }); } catch (e) { load = e.code + ' ' + e.message; }
    const check = checkSchemaFolder(${JSON.stringify(dir)}).findings.map((f) => f.rule + ' ' + f.message).join('\\n');
    process.stdout.write(JSON.stringify({ load, check }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: ms, encoding: 'utf8' });
  const out = r.status === 0 ? (JSON.parse(r.stdout) as { load: string; check: string }) : { load: r.stderr, check: '' };
  return { status: r.status, ...out };
}

test('a FIFO named like a schema is refused as a FIFO at load and by schemas check, without waiting for a writer', () => {
  if (process.platform === 'win32') return;
  const dir = tempDir();
  execFileSync('mkfifo', [join(dir, 'fifo_type.v1.json')]);
  const r = inChild(dir);
  assert.is(r.status, 0, `the child hung or failed: ${r.load}`);
  assert.is(r.load, `INVALID_ARGUMENT ${join(dir, 'fifo_type.v1.json')}: is a FIFO (named pipe), not a regular file: a schema folder holds only <event_type>.v<N>.json files; move it out of the folder`);
  assert.is(r.check, 'file is a FIFO (named pipe), not a regular file: a schema folder holds only <event_type>.v<N>.json files; move it out of the folder');
});

test('a symbolic link to /dev/zero is refused as a character device reached through a link, nothing read', () => {
  if (process.platform === 'win32') return;
  const dir = tempDir();
  symlinkSync('/dev/zero', join(dir, 'x.v1.json'));
  const r = inChild(dir);
  assert.is(r.status, 0, `the child hung or failed: ${r.load}`);
  assert.match(r.load, `x.v1.json: is a character device (through a symbolic link), not a regular file`);
  assert.match(r.check, /^file is a character device \(through a symbolic link\), not a regular file/);
});

test('a folder named like a schema is refused as a folder', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'parcel.v1.json'));
  const error = thrown(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), InvalidArgumentError);
  assert.match(error.message, 'parcel.v1.json: is a folder, not a regular file');
});

test('a schema file over 1 MiB is refused naming its size and the limit, by the loader and schemas check', () => {
  const dir = tempDir();
  const file = join(dir, 'parcel.v1.json');
  writeFileSync(file, '');
  truncateSync(file, 1024 * 1024 + 1);
  const message = 'is 1048577 bytes; a schema file is at most 1048576 bytes (1 MiB): a schema that large is not one, check what the file is';
  assert.is(thrown(() => SchemaRegistry.load({ folders: [dir], withoutBuiltins: true }), InvalidArgumentError).message, `${file}: ${message}`);
  assert.equal(checkSchemaFolder(dir).findings, [{ file, pointer: '', rule: 'file', message }]);
});

test.run();
