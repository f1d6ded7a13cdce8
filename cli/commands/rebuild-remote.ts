// `eventlake rebuild --remote`: the rebuild runs in the stack's rebuild function; here only its request and its answer.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { LONGEST_TIMER_MS } from '../../projections/longest-timer.ts';
import type { FollowUp } from '../follow-up.ts';
import type { RebuildFunction } from '../target.ts';
import { renderRemoteReport, verificationFailed } from './rebuild-remote-render.ts';

/** Exit code of an answer `restoring` without --wait: not done, not failed; the same command later carries on (EX_TEMPFAIL). */
export const EXIT_RESTORING = 75;

/** The request the function takes (adapters/aws/lambda/create-rebuild.ts): `from`/`until` in epoch ms. */
export interface RemoteRebuildRequest {
  readonly projection: string;
  readonly from: number;
  readonly until?: number;
  readonly dryRun: boolean;
}

export interface RemoteRebuildOptions {
  /** Print each answer's report as one JSON line, as the function returned it. */
  readonly json: boolean;
  /** Invoke again while the answer is `restoring`. */
  readonly wait: boolean;
  /** Pause between invocations with --wait. */
  readonly pollIntervalMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The commands the reports suggest, with the global options the rebuild ran with; default: bare. */
  readonly command?: FollowUp;
  readonly out?: NodeJS.WritableStream;
  readonly err?: NodeJS.WritableStream;
}

// Options of the local rebuild that the function's request has no field for: sending them nowhere would ignore them.
const LOCAL_ONLY = { restoreTier: '--restore-tier', restoreDays: '--restore-days', against: '--against', promote: '--no-promote' } as const;
const REMOTE_ONLY = { wait: '--wait', pollInterval: '--poll-interval' } as const;

/** Throw `InvalidArgumentError` for an option given on the command line that does not go with `--remote` (or without it). */
export function checkRemoteFlags(command: Command, remote: boolean): void {
  const given = (key: string) => command.getOptionValueSource(key) === 'cli';
  if (remote) {
    const flag = Object.entries(LOCAL_ONLY).find(([key]) => given(key))?.[1];
    if (flag) throw new InvalidArgumentError(flag, 'does not go with --remote: the rebuild function takes only --projection, --from, --until and --dry-run (it restores at the Standard tier for 1 day, verifies against the log, and promotes unless --until); drop it, or rebuild here without --remote');
    return;
  }
  const flag = Object.entries(REMOTE_ONLY).find(([key]) => given(key))?.[1];
  if (flag) throw new InvalidArgumentError(flag, 'only with --remote (it re-invokes the stack\'s rebuild function while archived objects are being restored)');
}

/** The longest `--poll-interval`, in seconds: 2,147,483 (the most a timer waits). */
const MAX_POLL_SECONDS = Math.floor(LONGEST_TIMER_MS / 1000);

/** `--poll-interval` in seconds (0 to MAX_POLL_SECONDS; fractions allowed), as ms. */
export function parsePollInterval(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('--poll-interval', `${text} is not a number of seconds >= 0`);
  // A longer pause fired after 1 ms: the function was invoked again and again, each call billed.
  if (Math.round(seconds * 1000) > LONGEST_TIMER_MS) {
    throw new InvalidArgumentError('--poll-interval', `${text} seconds is longer than a timer can wait (at most ${MAX_POLL_SECONDS} s, about 24 days): give --poll-interval ${MAX_POLL_SECONDS} or less, e.g. the default 300`);
  }
  return Math.round(seconds * 1000);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Invoke the function with `request` (again after `pollIntervalMs` while it answers `restoring`, with `wait`) and
 * print its reports. Returns the exit code: 0 done, 1 verification failed, EXIT_RESTORING still restoring.
 */
export async function runRemoteRebuild(fn: Pick<RebuildFunction, 'invoke'>, request: RemoteRebuildRequest, options: RemoteRebuildOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const interval = `${options.pollIntervalMs / 1000} s`;
  for (let invocation = 1; ; invocation++) {
    const { status, report } = await fn.invoke(request);
    // With --wait the plan of every `restoring` answer is the same one: show it once.
    if (options.json) out.write(`${JSON.stringify(report)}\n`);
    else if (status !== 'restoring' || invocation === 1) {
      const lines = renderRemoteReport(report, options.command) ?? [`the rebuild function answered "${status}" in a form this CLI cannot render (another eventlake version?):`, JSON.stringify(report, null, 2)];
      out.write(`${lines.join('\n')}\n`);
    }
    if (status !== 'restoring') {
      if (!verificationFailed(report)) return 0;
      err.write('eventlake: the rebuild function kept the generation unpromoted: verification failed\n');
      return 1;
    }
    const said = typeof report['message'] === 'string' ? ` (${report['message']})` : '';
    if (!options.wait) {
      err.write(`eventlake: archived objects are being restored${said}; run the same command again later (or add --wait to invoke the function again every ${interval} until it is done)\n`);
      return EXIT_RESTORING;
    }
    err.write(`eventlake: archived objects are being restored${said}; invocation ${invocation} done, invoking again in ${interval}\n`);
    await (options.sleep ?? pause)(options.pollIntervalMs);
  }
}
