// A data dir fixture built once per test file and copied for each test: emitting through the pipeline costs far more
// than copying the files, and a test that damages its copy leaves the template (and the other tests) untouched.

import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.ts';

/**
 * Returns a function giving a fresh copy of the fixture `build` makes: its facts as built, with `dir` the copy's
 * folder. `build` runs at most once, on the first call, and must leave no database open in `dir` when it resolves.
 * Timestamps and modes are kept, so a copy reads as the original would.
 */
export function fixtureCopiesOf<T extends { readonly dir: string }>(build: () => Promise<T>): () => Promise<T> {
  let template: Promise<T> | undefined;
  return async () => {
    template ??= build();
    const facts = await template;
    const dir = join(tempDir(), 'copy');
    cpSync(facts.dir, dir, { recursive: true, preserveTimestamps: true });
    return { ...facts, dir };
  };
}

/** As `fixtureCopiesOf`, for a fixture that is only its folder: each call gives a fresh copy's path. */
export function fixtureCopies(build: () => Promise<string>): () => Promise<string> {
  const copies = fixtureCopiesOf(async () => ({ dir: await build() }));
  return async () => (await copies()).dir;
}
