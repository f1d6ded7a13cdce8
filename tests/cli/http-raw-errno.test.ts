// The HTTP API on a failure no adapter named (a raw errno or SQLite code: EACCES, SQLITE_READONLY): 500 INTERNAL,
// never the raw code as the stable `error`, and one stderr line naming the request and the error for the operator.
// A typed StorageError (a folder eventlake may not write) is a 500 with its STORAGE_FAILED code and its fix.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
import { StorageError } from '../../domain/errors.ts';
import { failOnce, inHourFolder } from '../adapters/local/append-permission-faults.ts';
import { SAMPLES } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';

const test = suite('http raw errno');

const event = SAMPLES.cash_deposit;

interface Answer { statusCode: number; body: { error: string; message: string; results?: { status: string }[] }; stderr: string }

/** POST the sample event to a server on a fresh lake (`prepare` breaks it first); the answers and what went to stderr. */
async function post(prepare: (local: LocalEventlake) => void, times = 1): Promise<Answer[]> {
  const answers: Answer[] = [];
  await withLake(async (local) => {
    prepare(local);
    const app = buildServer(local);
    const write = process.stderr.write;
    try {
      for (let i = 0; i < times; i++) {
        let stderr = '';
        process.stderr.write = ((chunk: unknown) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
        try {
          const reply = await app.inject({ method: 'POST', url: '/events', payload: event });
          answers.push({ statusCode: reply.statusCode, body: reply.json(), stderr });
        } finally {
          process.stderr.write = write;
        }
      }
    } finally {
      await app.close();
    }
  });
  return answers;
}

const throwing = (error: Error) => (local: LocalEventlake) => { local.lake.append = async () => { throw error; }; };

for (const code of ['EACCES', 'SQLITE_READONLY']) {
  test(`a raw ${code} answers 500 INTERNAL "see the server log", not ${code} as the error code`, async () => {
    const raw = Object.assign(new Error(`${code}: refused, open '/data/journal/catalogue.db'`), { code });
    const [answer] = await post(throwing(raw));
    assert.equal([answer!.statusCode, answer!.body], [500, { error: 'INTERNAL', message: 'internal error: see the server log' }]);
  });
}

test('a raw errno writes one stderr line naming the request and the error, without the event payload', async () => {
  const raw = Object.assign(new Error("EACCES: permission denied, mkdir '/data/events/hour=23'"), { code: 'EACCES' });
  const [answer] = await post(throwing(raw));
  const lines = answer!.stderr.split('\n').filter((l) => l !== '');
  assert.is(lines.length, 1, answer!.stderr);
  assert.match(lines[0]!, /^eventlake serve: POST \/events \(req-\w+\) failed: Error EACCES: EACCES: permission denied, mkdir '\/data\/events\/hour=23' \(at /);
  assert.not.match(lines[0]!, String(event!.RequestId), 'no payload field');
});

test('a StorageError answers 500 with STORAGE_FAILED and its message, and is logged', async () => {
  const refused = new StorageError("storing a batch of 1 events in the log failed: EACCES (permission denied, mkdir) on /data/events/hour=23; nothing of it was stored. …");
  const [answer] = await post(throwing(refused));
  assert.equal([answer!.statusCode, answer!.body], [500, { error: 'STORAGE_FAILED', message: refused.message }]);
  assert.match(answer!.stderr, /^eventlake serve: POST \/events \(req-\w+\) failed: StorageError STORAGE_FAILED: storing a batch/);
});

test('a POST refused by EACCES on its hour folder answers STORAGE_FAILED, and sending it again stores it', async () => {
  let restore = () => {};
  let answers: Answer[];
  try {
    answers = await post(() => { restore = failOnce('mkdirSync', 'EACCES', inHourFolder); }, 2);
  } finally {
    restore();
  }
  assert.equal([answers[0]!.statusCode, answers[0]!.body.error], [500, 'STORAGE_FAILED']);
  assert.match(answers[0]!.body.message, /EACCES \(permission denied, mkdir\) on \S+hour=\d\d; nothing of it was stored/);
  assert.equal([answers[1]!.statusCode, answers[1]!.body.results?.map((r) => r.status)], [201, ['stored']]);
});

test.run();
