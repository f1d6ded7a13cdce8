// The rules fingerprint of bundled code (the deployed functions: one minified file, built as infra/functions.ts builds
// them): a minifier names a rule's helpers after everything else in the bundle, so the same rules read differently
// after a redeploy that changed any other code, while code of the same shape reads alike. Such fingerprints compare
// as the same within one bundle and as unknown across bundles, never as other rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareRules, recordRules, type RulesFingerprint } from '../../../projections/rebuild/rules-fingerprint.ts';

const test = suite('rules fingerprint of bundled code');

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eventlake-rules-bundle-'));

/** The balances fingerprint as a bundle computes it, with `extra` other functions in the bundle (unrelated code). */
async function bundledFingerprint(name: string, extra: number): Promise<RulesFingerprint> {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, [
    `import { createBalancesProjection } from ${JSON.stringify(join(root, 'domain/balances.ts'))};`,
    `import { rulesFingerprint } from ${JSON.stringify(join(root, 'projections/rebuild/rules-fingerprint.ts'))};`,
    ...Array.from({ length: extra }, (_, i) => `export function unrelated${i}(text: string): string { return text + '${i}'; }`),
    'process.stdout.write(JSON.stringify(rulesFingerprint(createBalancesProjection())));',
  ].join('\n'));
  const outfile = join(dir, `${name}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', minify: true, keepNames: true, logLevel: 'silent' });
  return JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as RulesFingerprint;
}

test('the same bundle run twice compares as the same rules (the rebuild function resumes and promotes its own generations)', async () => {
  const first = await bundledFingerprint('same', 0);
  const again = await bundledFingerprint('same', 0);
  assert.is(compareRules(recordRules(first), again), 'same');
});

test('a bundle with other code beside the same rules never compares them as other rules', async () => {
  const before = await bundledFingerprint('before', 0);
  for (const extra of [1, 4, 8, 12]) {
    const after = await bundledFingerprint(`after-${extra}`, extra);
    assert.is.not(compareRules(recordRules(before), after), 'other', `with ${extra} other functions: ${before.fingerprint} / ${after.fingerprint}`);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
