// The `eventlake/local` entry as a user's program meets it: DuckDB (a large native module) is loaded only once a query
// runs, and every type the entry's functions and classes take or return can be imported from the entry itself.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDbEventQueryOptions, LocalEventlake, LocalEventlakeOptions, SqliteSnapshotStoreOptions } from 'eventlake/local';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Whether DuckDB's package is loaded (in require's cache) after `code` runs in a fresh process. */
function duckDbLoadedAfter(code: string): boolean {
  const script = `import { createRequire } from 'node:module'; ${code}
    console.log(Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/@duckdb/')));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as boolean;
}

const test = suite('api: the eventlake/local entry');

test('importing eventlake/local does not load DuckDB', () => {
  assert.is(duckDbLoadedAfter(`await import('eventlake/local');`), false);
});

test('constructing a DuckDbEventQuery does not load DuckDB; its first query does', () => {
  const setup = `const { mkdtempSync } = await import('node:fs'); const { tmpdir } = await import('node:os');
    const { DuckDbEventQuery } = await import('eventlake/local');
    const query = new DuckDbEventQuery({ dataDir: mkdtempSync(tmpdir() + '/eventlake-api-') });`;
  assert.is(duckDbLoadedAfter(setup), false);
  assert.is(duckDbLoadedAfter(`${setup} await query.sql('SELECT 1 AS one'); await query.close();`), true);
});

test('every type exported by a module eventlake/local takes a class or function from is exported by the entry too', () => {
  const entry = readFileSync(join(root, 'adapters/local/index.ts'), 'utf8');
  const exported = new Set([...entry.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type /, ''))));
  const modules = [...entry.matchAll(/export \{[^}]*\} from '\.\/([a-z-]+\.ts)'/g)].map((m) => m[1]!);
  const missing = modules.flatMap((file) => {
    const text = readFileSync(join(root, 'adapters/local', file), 'utf8');
    return [...text.matchAll(/^export (?:interface|type) ([A-Z]\w*)/gm)].map((m) => m[1]!).filter((name) => !exported.has(name)).map((name) => `${name} (${file})`);
  });
  assert.equal(missing, []);
});

test('the runtime\'s own types are exported by eventlake/local beside openLocalEventlake', () => {
  const entry = readFileSync(join(root, 'adapters/local/index.ts'), 'utf8');
  for (const name of ['LocalEventlake', 'LocalEventlakeOptions', 'CatchUpReport', 'PortName']) assert.match(entry, new RegExp(`\\b${name}\\b`), name);
  // Compiled by the typecheck: these are imported from the entry above.
  const options: LocalEventlakeOptions & DuckDbEventQueryOptions = { dataDir: '.eventlake' };
  const snapshotOptions: Pick<SqliteSnapshotStoreOptions, 'dataDir'> = options;
  const use = (_: LocalEventlake | undefined): string => snapshotOptions.dataDir;
  assert.is(use(undefined), '.eventlake');
});

test.run();
