// Function code bundled by esbuild as infra/functions.ts bundles the lake's functions (minified, class names kept, the
// require shim on top) with the built-in schemas beside it, for tests that load a bundle without synthesizing a stack.
// Why the settings are copied here, not imported: infra/functions.ts loads aws-cdk-lib (~2 s of CPU per test
// process) for three constants. tests/infra/functions.test.ts checks the copies equal infra/functions.ts's.
import { build } from 'esbuild';
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** infra/functions.ts's PROJECT_ROOT: the repository root, where esbuild resolves the entries' imports. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** infra/functions.ts's BUILTIN_SCHEMAS: the built-in schemas each bundle carries in `builtin/`. */
export const BUILTIN_SCHEMAS = join(PROJECT_ROOT, 'schemas', 'builtin');
/** infra/functions.ts's REQUIRE_SHIM: the banner that gives CommonJS dependencies of an ESM bundle a require(). */
export const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Bundle `entry` into `outfile` (an index.mjs) with the functions' esbuild settings, and copy the built-in schemas
 * beside it. Fails on any esbuild error.
 *
 * @example
 * await bundleAsDeployed(join(import.meta.dirname, 'bundled-rebuild.ts'), join(tempDir(), 'index.mjs'));
 */
export async function bundleAsDeployed(entry: string, outfile: string): Promise<void> {
  const result = await build({
    absWorkingDir: PROJECT_ROOT, entryPoints: [entry], outfile,
    bundle: true, platform: 'node', target: 'node20', format: 'esm', banner: { js: REQUIRE_SHIM }, minify: true, keepNames: true, logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(`esbuild: ${JSON.stringify(result.errors)}`);
  cpSync(BUILTIN_SCHEMAS, join(dirname(outfile), 'builtin'), { recursive: true });
}
