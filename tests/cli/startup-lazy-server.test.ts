// Every CLI command starts by loading cli/main.ts: the HTTP server (Fastify, ≈ 0.3 s) is loaded by `serve` alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/** Whether importing `module` (from the repository root) loads a file of the fastify package, in a fresh process. */
function loadsFastify(module: string): boolean {
  const script = `await import(${JSON.stringify(module)}); const { createRequire } = await import('node:module');` +
    `const cache = createRequire(import.meta.url).cache; console.log(Object.keys(cache).some((k) => k.includes('/node_modules/fastify/')));`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim() === 'true';
}

test('loading the CLI does not load the HTTP server', () => {
  assert.is(loadsFastify('./cli/main.ts'), false);
});

test('the check above can see the HTTP server being loaded', () => {
  assert.is(loadsFastify('./cli/server.ts'), true);
});

test.run();
