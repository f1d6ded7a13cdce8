// For target.test.ts: which modules of the AWS SDK a fresh Node process loads as it opens the local target, runs
// `eventlake query` on it, then opens the aws target. One process runs the three steps in that order (each child costs
// seconds of start-up) and reports what it has loaded by the end of each: the local steps come first, so theirs is
// what a fresh process loads for them (the query's includes the open's, a superset of the code it ran alone).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as assert from 'uvu/assert';
import { tempDir } from '../support/tmp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The modules of @aws-sdk resolved (ESM) or required (CJS) by the end of each step. */
export interface SdkLoadsByStep {
  readonly localOpen: string[];
  readonly localQuery: string[];
  readonly awsOpen: string[];
}

/** A resolve hook writing each @aws-sdk module's URL to the file `initialize` is given, and the script registering it. */
function registerHooks(dir: string, seen: string): string {
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/node_modules/@aws-sdk/')) appendFileSync(out, result.url + '\\n');
  return result;
}
`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { out: ${JSON.stringify(seen)} } });
`);
  return pathToFileURL(join(dir, 'register.mjs')).href;
}

/**
 * Run the three steps in one fresh Node process (`localConfig` and `awsConfig`: config files choosing each target) and
 * return what each loaded.
 */
export function awsSdkLoadsByStep(localConfig: string, awsConfig: string): SdkLoadsByStep {
  const dir = tempDir();
  const seen = join(dir, 'seen.txt');
  writeFileSync(seen, '');
  const data = JSON.stringify(join(dir, 'data'));
  const href = (path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);
  const script = `
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    const loaded = () => [...readFileSync(${JSON.stringify(seen)}, 'utf8').split('\\n').filter(Boolean),
      ...Object.keys(createRequire(${JSON.stringify(root + '/')}).cache).filter((k) => k.includes('/node_modules/@aws-sdk/'))];
    const steps = {};
    const step = (name) => { steps[name] = loaded(); };
    const { openTarget } = await import(${href('cli/target.ts')});
    await (await openTarget({ config: ${JSON.stringify(localConfig)}, dataDir: ${data}, schemaFolders: [] }, {})).close();
    step('localOpen');
    const { main } = await import(${href('cli/main.ts')});
    // query only reads: it refuses a path that is no data dir, so one is made first (emit would do the same).
    const { openLocalEventlake } = await import(${href('adapters/local/open-local-eventlake.ts')});
    await (await openLocalEventlake({ dataDir: ${data} })).close();
    if (await main(['--config', ${JSON.stringify(localConfig)}, '--data-dir', ${data}, 'query', 'SELECT 1']) !== 0) process.exit(9);
    step('localQuery');
    await (await openTarget({ config: ${JSON.stringify(awsConfig)}, dataDir: ${JSON.stringify(join(dir, 'aws-data'))}, schemaFolders: [] }, {})).close();
    step('awsOpen');
    process.stdout.write('\\n' + JSON.stringify(steps));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', registerHooks(dir, seen), '--input-type=module', '-e', script], {
    cwd: root, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 60_000,
  });
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.split('\n').at(-1)!) as SdkLoadsByStep;
}
