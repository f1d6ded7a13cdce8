// A data dir fixture built once per test file and copied for each test: emitting through the pipeline costs far more
// than copying the files, and a test that damages its copy leaves the template (and the other tests) untouched.

import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.ts';

/**
 * Returns a function giving a fresh copy of the folder `build` makes; `build` runs at most once, on the first call.
 * The template must be closed (no open database) when `build` resolves. Timestamps and modes are kept, so a copy
 * reads as the original would.
 */
export function fixtureCopies(build: () => Promise<string>): () => Promise<string> {
  let template: Promise<string> | undefined;
  return async () => {
    template ??= build();
    const copy = join(tempDir(), 'copy');
    cpSync(await template, copy, { recursive: true, preserveTimestamps: true });
    return copy;
  };
}
