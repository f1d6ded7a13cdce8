// A schema folder that cannot be read, given to the CLI (--schemas) or the API (schemaFolders), is refused naming those
// options and the fix, not an internal field name and a bare ENOENT.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/index.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { UpcasterChain } from '../../schemas/upcasters.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';
import { thrown } from '../support/thrown.ts';

/** The error `fn` throws (or fails the test). */
const FIX = 'give an existing folder that holds the <event_type>.v<N>.json schemas (e.g. outgoing_payment.v1.json), as a path from the current directory';

const test = suite('schema folders that cannot be read');

test('a missing folder names --schemas and schemaFolders, the absolute path, and the fix; the code stays INVALID_ARGUMENT', () => {
  const error = thrown(() => SchemaRegistry.load({ folders: ['./no-such-schemas'] }), InvalidArgumentError);
  assert.is(error.code, 'INVALID_ARGUMENT');
  assert.is(error.argument, '--schemas (or "schemaFolders")');
  assert.ok(error.message.includes(`schema folder ${resolve('no-such-schemas')} does not exist: ${FIX}`), error.message);
});

test('a file given as a schema folder is refused as not a folder', () => {
  const file = join(tempDir(), 'outgoing_payment.v1.json');
  writeFileSync(file, '{}');
  assert.ok(thrown(() => SchemaRegistry.load({ folders: [file] }), InvalidArgumentError).message.includes(`schema folder ${file} is not a folder: `));
});

test('eventlake --schemas with a missing folder prints only the flag and the fix on one line, exit 1', async () => {
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), '--schemas', join(tempDir(), 'nope'), 'schemas', 'list']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /INVALID_ARGUMENT: --schemas: schema folder \S+nope does not exist: give an existing folder/);
});

test('openLocalEventlake({ schemaFolders }) with a missing folder names only schemaFolders and the fix', async () => {
  let error: unknown;
  try { await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), schemaFolders: ['./nope'] }); } catch (e) { error = e; }
  assert.instance(error, InvalidArgumentError);
  assert.is((error as Error).message, `schemaFolders: schema folder ${resolve('nope')} does not exist: ${FIX}`);
});

test('a second upcaster for the same version step is refused with the fix', () => {
  const chain = new UpcasterChain();
  chain.add('outgoing_payment', 1, (e) => e);
  const error = thrown(() => chain.add('outgoing_payment', 1, (e) => e), InvalidArgumentError);
  assert.is(error.message, 'outgoing_payment v1: already has an upcaster: give one upcaster per version step (remove one of them, or fold both into one function)');
});

test.run();
