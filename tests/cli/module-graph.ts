// Which modules a piece of start-up code loads, seen from outside: a fresh Node process (tsx, as bin/eventlake.js
// runs) with a loader hook that names every module it loads. Why a process: the test runner has loaded most of
// the tree already, and an ES module cache cannot be asked what it holds.

import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

// Runs in the loader's own thread, so it writes to the process's stdout directly (fd 1) rather than through console.
const HOOK = 'import { writeSync } from "node:fs"; export async function load(url, context, next) { writeSync(1, `${url}\\n`); return next(url, context); }';
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;

/**
 * The files `script` (an ES module run from the repository root, which prints nothing) loads, repository-relative
 * (`cli/cli.ts`, `node_modules/fastify/fastify.js`). A CommonJS package's own require() calls are not seen, only
 * the file an ES module imports it by.
 */
export function modulesLoadedBy(script: string): string[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const files = out.split('\n').filter((url) => url.startsWith('file:')).map((url) => relative(root, new URL(url).pathname));
  return [...new Set(files)];
}
