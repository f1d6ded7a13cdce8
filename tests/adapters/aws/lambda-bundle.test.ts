// The Lambda entry files bundle with esbuild (as the CDK stack deploys them), with no unresolved imports.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const test = suite('Lambda entry bundles');

for (const entry of ['indexer', 'projector', 'rebuild', 'compaction']) {
  test(`adapters/aws/lambda/${entry}.ts bundles for Node 20 and exports a handler`, async () => {
    const out = await build({
      absWorkingDir: root, entryPoints: [`adapters/aws/lambda/${entry}.ts`], bundle: true, platform: 'node', target: 'node20', format: 'esm',
      write: false, metafile: true, logLevel: 'silent', external: ['@aws-sdk/*'],
    });
    assert.equal(out.errors, []);
    const exports = Object.values(out.metafile.outputs)[0]?.exports ?? [];
    assert.ok(exports.includes('handler'), `exports: ${exports.join(', ')}`);
  });
}

test.run();
