// Whether appends can still write where they write, asked for GET /health without writing anything: access(W_OK) on
// the log's folders, cached for a few seconds. Why a check of its own: databases and the journal segment a process
// has open keep taking its writes after a chmod or chown (permissions are checked at open), but every append makes a
// file in its hour's folder, and the first of a new hour, day, month or year makes that folder too. Measured: after
// `chmod u-w events/` under a running `serve`, appends to a new hour failed (EACCES, mkdir) while /health said ok.

import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirNotWritableError } from '../../domain/data-dir-errors.ts';
import { partitionPrefix } from '../../domain/event.ts';
import { asNotWritable } from './data-dir-access.ts';
import type { DataDirLayout } from './layout.ts';

/** A folder appends write to that this process may not write. */
export interface AppendAccessProblem {
  /** Names the folder, the errno, the owners and the fix. */
  readonly error: DataDirNotWritableError;
  /**
   * True when appends of an hour asked about write into that folder (its own, or the deepest folder of it that exists
   * and must make the rest): they fail now. False when a later one fails: a new hour's (day's…) folder above it, or the
   * journal's next segment.
   */
  readonly now: boolean;
}

/** How long one answer is reused: a load balancer's poll every second costs one check per few seconds. */
export const APPEND_ACCESS_TTL_MS = 5_000;

/**
 * The access check of the folders appends write to, cached for APPEND_ACCESS_TTL_MS.
 *
 * @example
 * const check = new AppendAccessCheck(dataDirLayout(dir));
 * const problem = await check.problem(async () => [Date.now() / 1000]); // undefined, or { error, now }
 */
export class AppendAccessCheck {
  private cached: { readonly at: number; readonly problem: AppendAccessProblem | undefined } | undefined;

  constructor(private readonly layout: DataDirLayout, private readonly clock: () => number = Date.now) {}

  /** The first problem found for the hours (epoch seconds) appends are expected in; `hours` is asked only when the cache is stale. */
  async problem(hours: () => Promise<readonly number[]>): Promise<AppendAccessProblem | undefined> {
    const at = this.clock();
    if (this.cached !== undefined && at - this.cached.at < APPEND_ACCESS_TTL_MS && at >= this.cached.at) return this.cached.problem;
    const problem = this.check(await hours());
    this.cached = { at, problem };
    return problem;
  }

  private check(hours: readonly number[]): AppendAccessProblem | undefined {
    let later: AppendAccessProblem | undefined;
    for (const seconds of hours) {
      const chain = existingChain(this.layout.root, partitionPrefix(seconds));
      for (const [i, folder] of chain.entries()) {
        const now = i === chain.length - 1;
        const error = unwritable(this.layout.root, folder, now
          ? `appends of events in ${partitionPrefix(seconds)} fail until it is fixed`
          : `appends of events in an hour whose folder is not made yet fail until it is fixed`);
        if (error === undefined) continue;
        if (now) return { error, now };
        later ??= { error, now };
      }
    }
    const journal = unwritable(this.layout.root, this.layout.journalDir, 'appends fail once the journal starts its next segment');
    return later ?? (journal === undefined ? undefined : { error: journal, now: false });
  }
}

/**
 * The folders of `prefix` (`events/year=…/hour=HH/`) under `root` that exist, from `events` down; `root` alone when
 * not even `events` does (a data dir nothing was appended to makes it there).
 */
function existingChain(root: string, prefix: string): string[] {
  const parts = prefix.split('/').filter((p) => p !== '');
  const chain: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const folder = join(root, ...parts.slice(0, i));
    try {
      if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) break;
    } catch {
      // Not even visible (a folder above refuses search): that folder's own check names it.
      break;
    }
    chain.push(folder);
  }
  return chain.length > 0 ? chain : [root];
}

/**
 * `folder` refused as DataDirNotWritableError when this process may not make files in it (write and search); undefined
 * when it may, and on any other failure (a folder removed meanwhile): the check only warns, appends say the rest.
 */
function unwritable(dataDir: string, folder: string, consequence: string): DataDirNotWritableError | undefined {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const named = asNotWritable(error, { doing: 'GET /health\'s check of the folders appends write to', path: folder, dataDir, kept: `${consequence}; events already stored are kept` });
    return named instanceof DataDirNotWritableError ? named : undefined;
  }
}
