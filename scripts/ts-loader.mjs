// The test processes' TypeScript loader (`node --import ./scripts/ts-loader.mjs file.ts`): esbuild's transform, cached
// on disk, behind Node's module hooks. Why not tsx, which the CLI and every product entry keep: tsx costs each process
// ~0.45 s more CPU (its own start-up in two threads and its resolver), and the suite starts ~400 processes on 2 cores.
// Both compile with esbuild and the repository's tsconfig; the product's own start-up stays tested by the CLI children,
// which the tests still run under tsx. The cache lives in the OS temp dir, which the runner makes fresh for each run.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsconfig = JSON.parse(readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8'));
const esbuildVersion = JSON.parse(readFileSync(new URL('../node_modules/esbuild/package.json', import.meta.url), 'utf8')).version;
const hooks = readFileSync(new URL('./ts-loader-hooks.mjs', import.meta.url), 'utf8');
register('./ts-loader-hooks.mjs', import.meta.url, {
  data: {
    cacheDir: join(tmpdir(), 'eventlake-ts-cache'),
    tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
    // A new esbuild, tsconfig or hook file makes new cache keys, so a kept cache never serves another compiler's output.
    salt: `${esbuildVersion}\0${JSON.stringify(tsconfig.compilerOptions)}\0${hooks}`,
  },
});
process.setSourceMapsEnabled(true);
