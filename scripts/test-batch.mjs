// Runs several small test files in one process, one after another, each with its own uvu totals between two marker
// lines, so the runner pays Node, the TypeScript loader and the shared modules' start-up once per batch instead of once per file.
// Usage: node --import ./scripts/ts-loader.mjs scripts/test-batch.mjs FILE...   (the runner, scripts/test.mjs, parses the markers)
import { pathToFileURL } from 'node:url';
import { END, START } from './test-batch-markers.mjs';

// uvu queues suites instead of running them on a timer when UVU_DEFER is set before it loads (as its own CLI does).
globalThis.UVU_DEFER = 1;
const { exec } = await import('uvu');
const write = (line) => new Promise((done) => process.stdout.write(line + '\n', done));

for (const file of process.argv.slice(2)) {
  await write(`${START}${file}`);
  globalThis.UVU_QUEUE = [[null]];
  globalThis.UVU_INDEX = 0;
  const started = process.hrtime.bigint();
  await import(pathToFileURL(file).href);
  await exec();
  await write(`${END}${file} ${Number(process.hrtime.bigint() - started) / 1e9}`);
}
// A file that left a timer or socket behind would keep the batch alive; its own process would have hung the same way,
// but the batch must not make the next files wait for it.
process.exit(0);
