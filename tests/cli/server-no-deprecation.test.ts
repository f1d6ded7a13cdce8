// Starting the HTTP API prints nothing but what it means to: the router's limit on an account's length is given where
// Fastify 5 reads it (routerOptions). Given at the top level (0cefe15), every `eventlake serve` printed Fastify's
// FSTDEP022 deprecation warning to stderr, which an operator reads as something wrong with the server.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setImmediate as turn } from 'node:timers/promises';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: building the server');

test('building the server emits no deprecation warning', async () => {
  const warnings: string[] = [];
  const record = (w: Error & { code?: string }) => warnings.push(`${w.code ?? w.name}: ${w.message}`);
  process.on('warning', record);
  try {
    await withServer(async (app) => {
      await app.ready();
      await turn();
    });
  } finally {
    process.off('warning', record);
  }
  assert.equal(warnings, []);
});

test.run();
