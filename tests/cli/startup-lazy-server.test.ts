// Every CLI run starts by loading cli/cli.ts (bin/eventlake.js), and tests import cli/main.ts, which loads every
// command's module: the HTTP server (Fastify, ≈ 0.3 s) is loaded by `serve` alone, once it runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modulesLoadedBy } from './module-graph.ts';

/** Whether importing `module` (from the repository root) loads the fastify package, in a fresh process. */
function loadsFastify(module: string): boolean {
  return modulesLoadedBy(`await import(${JSON.stringify(module)});`).some((file) => file.startsWith('node_modules/fastify/'));
}

test('loading the CLI where the eventlake binary starts (cli/cli.ts) does not load the HTTP server', () => {
  assert.is(loadsFastify('./cli/cli.ts'), false);
});

test('loading every command\'s module (cli/main.ts) does not load the HTTP server', () => {
  assert.is(loadsFastify('./cli/main.ts'), false);
});

test('the check above can see the HTTP server being loaded', () => {
  assert.is(loadsFastify('./cli/server.ts'), true);
});

test.run();
