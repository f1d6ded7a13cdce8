// A fresh small local data dir (SQLite stores, archived days included) per test, for tests that change which
// generations of a projection exist. Each call gets its own copy of one scenario built once per test file
// (fresh-lake-copies.ts): building it costs seconds, a copy milliseconds, and no test sees another's changes.

import { freshLakeCopies } from './fresh-lake-copies.ts';

/** Runs `fn` on a new copy of the two-day data dir, opened, with a coordinator over it; closes it after. */
export const withFreshLake = freshLakeCopies();
