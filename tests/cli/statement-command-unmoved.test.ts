// `eventlake statement ACCOUNT` for an account the log names but whose statement has no line: it says why in balance's
// words, reading the statement's rows (it keeps no counters) to tell a rule that puts a line on the account.

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake statement: an account without lines that the log names');

const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const SCHEMAS = join(EXAMPLE, 'schemas');
const EXTENSIONS = join(EXAMPLE, 'eventlake.extensions.ts');
const ACCOUNT = 'DE44-5001-0517';
const RENT = JSON.parse(readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').split('\n')[2]!) as DomainEvent;

test('an account whose event was folded before its rule was loaded says to rebuild statement, with the same global options', async () => {
  const dataDir = join(tempDir(), 'lake');
  // Stored without the extensions: neither projection has a rule for outgoing_payment, so both skip it.
  const local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS] });
  try {
    await local.lake.append(local.lake.prepare([RENT]));
  } finally {
    await local.close();
  }
  const r = await runCli(['--data-dir', dataDir, '--schemas', SCHEMAS, '--extensions', EXTENSIONS, 'statement', ACCOUNT]);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, `eventlake: EVENT_NOT_FOUND: no event at account ${ACCOUNT} that changes its balance in projection statement: the index has 1 event naming it (1 outgoing_payment), but statement folded its outgoing_payment events before their rule was loaded (the rule moves it): rebuild statement with the same --extensions (eventlake --data-dir ${dataDir} --schemas ${SCHEMAS} --extensions ${EXTENSIONS} rebuild --projection statement --from 0)\n`);
});

test.run();
