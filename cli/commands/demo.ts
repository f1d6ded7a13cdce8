// `eventlake demo` (= `npm start`): run the whole scenario in a fresh data directory and print the report.

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EventlakeRuntime, LocalEventlakeOptions } from '../../projections/runtime.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { createProgress } from '../../projections/rebuild/progress.ts';
import { refuseUnusableDataDir } from '../data-dir-guard.ts';
import { runDemo } from '../demo.ts';
import { wholeNumber } from '../options.ts';

interface DemoFlags {
  accounts: string;
  days: string;
  eventsPerDay: string;
  seed: string;
  restoreDelayMs: string;
  dataDir?: string;
}

/** An empty (or new) folder: the demo's events would collide with another history. Refused before anything is printed. */
function demoDir(explicit: string | undefined): string {
  if (!explicit) return mkdtempSync(join(tmpdir(), 'eventlake-demo-'));
  const dir = resolve(explicit);
  refuseUnusableDataDir(dir);
  let entries: string[] = [];
  try { entries = readdirSync(dir); } catch { /* absent: the eventlake creates it */ }
  if (entries.length > 0) throw new InvalidArgumentError('--data-dir', `${dir} is not empty: the demo needs a fresh folder`);
  return dir;
}

/** `open` must honour `now` and `restoreDelayMs` (openLocalEventlake does): the demo moves the clock day by day. */
export function registerDemoCommand(program: Command, open: (opts: LocalEventlakeOptions) => Promise<EventlakeRuntime>): void {
  program
    .command('demo')
    .description('the whole story on generated data: emit, dispatch, snapshot, archive, lose, plan, rehydrate, replay, verify, promote')
    .option('--accounts <n>', 'number of accounts', '200')
    .option('--days <n>', 'days of events (at least 2; from 8 on, every storage tier is used)', '28')
    .option('--events-per-day <n>', 'events per day', '250')
    .option('--seed <n>', 'seed of the generator (same seed, same events)', '42')
    .option('--restore-delay-ms <ms>', 'simulated archive restore delay (Expedited from Glacier; Deep Archive takes 6x)', '100')
    .option('--data-dir <dir>', 'empty folder to run in (default: a new temporary folder)')
    .action(async (flags: DemoFlags, command: Command) => {
      const { dataDir: globalDir, readOnly } = command.optsWithGlobals<{ dataDir?: string; readOnly?: boolean }>();
      // The demo writes its own lake from scratch: read-only, it would have nothing to show.
      if (readOnly) throw new InvalidArgumentError('--read-only', 'the demo writes a new data dir of its own, which --read-only forbids: nothing was written; drop --read-only');
      const report = await runDemo(open, {
        accounts: wholeNumber('--accounts', flags.accounts, 2),
        days: wholeNumber('--days', flags.days, 2),
        eventsPerDay: wholeNumber('--events-per-day', flags.eventsPerDay, 1),
        seed: wholeNumber('--seed', flags.seed, 0),
        restoreDelayMs: wholeNumber('--restore-delay-ms', flags.restoreDelayMs, 0),
        dataDir: demoDir(flags.dataDir ?? globalDir),
        ...(process.stderr.isTTY ? { onProgress: createProgress(process.stderr) } : {}),
      }, process.stdout);
      if (!report.passed) process.exitCode = 1;
    });
}
