// The projection store a lake hands out (runtime.store) refuses a projection the lake did not load, on either target,
// naming the loaded ones: `store.rows('nope', …)` answered [] on AWS (and locally), as if the projection were empty.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openAwsEventlake } from '../../adapters/aws/open-aws-eventlake.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { openReadOnlyLocalEventlake } from '../../adapters/local/open-read-only.ts';
import { balancesProjection } from '../../domain/balances.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { answeringClients, NO_BUCKET, type Answer } from '../support/answering-clients.ts';
import { tempDir } from '../support/tmp.ts';

const tally = { ...balancesProjection, name: 'tally' };
const REFUSAL = 'unknown projection "nope": use one of balances, statement, tally';

const test = suite('runtime.store: a projection the lake did not load');

test('openAwsEventlake\'s store refuses it before any request, its own projections counted as known', async () => {
  let requests = 0;
  const answer: Answer = { status: 500, body: '{}' };
  const runtime = await openAwsEventlake({
    region: 'eu-west-3', bucket: 'b', indexTable: 'i', controlTable: 'c', projections: [tally],
    clients: answeringClients({ s3: () => NO_BUCKET, dynamodb: () => { requests++; return answer; } }),
  }, {});
  try {
    const error = await rejects(() => runtime.store.rows('nope', 1, 'A'), InvalidArgumentError);
    assert.is(error.argument, 'projection');
    assert.match(error.message, REFUSAL);
    await rejects(() => runtime.store.liveGeneration('nope'), InvalidArgumentError);
    assert.is(requests, 0, 'no DynamoDB request');
  } finally {
    await runtime.close();
  }
});

test('openLocalEventlake\'s store refuses it, and serves a loaded one of the user\'s', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir(), projections: [tally] });
  try {
    assert.match((await rejects(() => local.store.rows('nope', 1, 'A'), InvalidArgumentError)).message, REFUSAL);
    assert.equal(await local.store.rows('tally', 1, 'A'), []);
  } finally {
    await local.close();
  }
});

test('a read-only open\'s store refuses it too', async () => {
  const dir = tempDir();
  await (await openLocalEventlake({ dataDir: dir })).close();
  const local = await openReadOnlyLocalEventlake({ dataDir: dir, projections: [tally] });
  try {
    assert.match((await rejects(() => local.store.counters('nope', 1), InvalidArgumentError)).message, REFUSAL);
  } finally {
    await local.close();
  }
});

test.run();
