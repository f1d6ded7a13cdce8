// Module hooks for scripts/ts-loader.mjs: serve each .ts module as esbuild's ES module output, from a disk cache keyed by
// the file's path and text, and resolve the `./x.js` and extensionless imports tsx accepts to their `.ts` files.
// What it leaves out of tsx: CommonJS `require` of .ts files and tsconfig `paths` (no test or source uses either).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {{ cacheDir: string, tsconfigRaw: object, salt: string }} */
let options;
/** @type {typeof import('esbuild') | undefined} */
let esbuild;

export function initialize(data) {
  options = data;
  mkdirSync(options.cacheDir, { recursive: true });
}

const TS = /\.(?:ts|mts)$/;
const RELATIVE = /^(?:\.{1,2}\/|\/|file:)/;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // tsx resolves `./x.js` to `./x.ts` and `./x` to `./x.ts` (or `./x/index.ts`); so do we, for relative paths only.
    if (!RELATIVE.test(specifier) || !['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT'].includes(error?.code)) throw error;
    const candidates = specifier.endsWith('.js') ? [specifier.slice(0, -3) + '.ts'] : [specifier + '.ts', specifier + '/index.ts'];
    for (const candidate of candidates) {
      try { return await nextResolve(candidate, context); } catch {}
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha1').update(options.salt).update(file).update('\0').update(source).digest('hex');
  const cached = join(options.cacheDir, `${key}.mjs`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    esbuild ??= await import('esbuild');
    ({ code } = await esbuild.transform(source, {
      // tsx's own options, so functions print the same text (rule fingerprints hash it) and keep the same names.
      loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcefile: file, sourcemap: 'inline',
      sourcesContent: false, minifyWhitespace: true, keepNames: true, tsconfigRaw: options.tsconfigRaw,
    }));
    // Written aside and renamed: processes starting together may transform the same file at once.
    const aside = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(aside, code);
    renameSync(aside, cached);
  }
  return { format: 'module', source: code, shortCircuit: true };
}
