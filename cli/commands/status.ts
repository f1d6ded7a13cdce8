// `eventlake status`: the state of a data dir or deployed stack at a glance, without changing it (no catch-up first).

import { statfsSync } from 'node:fs';
import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { eventlakeStatus, type EventlakeStatus } from '../../projections/status.ts';
import { waitingMessage } from '../../projections/status-dispatch-waiting.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { foreignFoldWarning, viewerLacksRules } from '../../projections/foreign-fold.ts';
import { liveRulesWarning } from '../../projections/rebuild/generations.ts';
import { generationRow } from '../generation-row.ts';
import { awsDeadLettersElsewhere, awsEventsAndDispatchLines, awsStatusJson } from './status-aws.ts';
import { notIndexedOf, notIndexedJson, type NotIndexed } from './status-not-indexed.ts';

/** Registers `status [--json]`. */
export function registerStatusCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('status')
    .description('events, dispatch lag (or the event blocking dispatch, or the archived object it waits on), dead letters, projections (generations beside the live one, newest snapshots, the rules that built the live one, and events a process with other rules folded into it), storage classes; changes nothing')
    .option('--json', 'one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      const opts = readingOptions(command);
      const runtime = await open(opts);
      try {
        // Counted before the index is read: a writer indexing meanwhile can put an event in both counts, never in neither.
        const notIndexed = await notIndexedOf(runtime);
        const status = await eventlakeStatus(runtime);
        const low = runtime.target === 'local' ? diskAlmostFull(runtime.dataDir) : undefined;
        // On AWS the dispatch fields would always read "0 behind" (status-aws.ts): they are replaced, not faked.
        const json = runtime.target === 'aws' ? awsStatusJson(status, followUp(opts)) : { ...status, ...notIndexedJson(notIndexed) };
        if (options.json) process.stdout.write(`${JSON.stringify(low ? { ...json, diskAlmostFull: low } : json)}\n`);
        else {
          // Only where a fold is recorded: which rules the viewer lacks decides how the warning says to rebuild.
          const lacking = new Set<string>();
          for (const p of status.projections) {
            if (p.foldedWithOtherRules && (await viewerLacksRules(runtime, p.name, p.rules.generation))) lacking.add(p.name);
          }
          renderStatus(status, followUp(opts), { low, lacking, notIndexed });
        }
      } finally {
        await runtime.close();
      }
    });
}

/**
 * The indexed events, and those the journal holds past the indexer's cursor (an emit killed before indexing them):
 * without them an operator saw fewer events than are stored, and no hint that the next catch-up adds them.
 */
function eventsLine(s: EventlakeStatus, notIndexed: NotIndexed | undefined, next: FollowUp): string {
  const indexed = `events:       ${s.events}`;
  if (notIndexed !== undefined && 'unreadable' in notIndexed) {
    return `${indexed} indexed (last position ${s.lastPosition}); events the journal holds past the indexer's cursor are not counted: ${notIndexed.unreadable}\n`;
  }
  if (notIndexed === undefined || notIndexed.events === 0) return `${indexed} (last position ${s.lastPosition})\n`;
  return `${indexed} indexed (last position ${s.lastPosition}), ${notIndexed.events} more durable in the journal, not yet indexed ` +
    `(\`${next('run')}\` or any emit or read indexes them)\n`;
}

/**
 * The lag and how to end it; when a full or failing disk stalls it, the error and the fix; when dispatch is blocked, the refused event and the error every read fails with, whose
 * message names the fix (a catch-up would only stop there again); when it waits on an archived object, that object
 * and the restore that lets it go on, spelled with the global options status ran with.
 */
function dispatchLines(s: EventlakeStatus, next: FollowUp): string {
  const b = s.dispatchBlocked;
  const w = s.dispatchWaiting;
  const indent = ' '.repeat('dispatch:     '.length);
  if (w !== undefined) {
    return `dispatch:     WAITING at position ${s.dispatchedPosition}, ${s.undispatchedEvents} behind, on archived object ${w.key} (${w.storageClass}, ` +
      `${RESTORE_WORDS[w.restore]}); every catch-up and read stops there until it is restored\n${indent}${w.code}: ${waitingMessage(w, next)}\n`;
  }
  if (b === undefined && s.dispatchStalled !== undefined) return stalledLines(s.dispatchStalled, s.undispatchedEvents, next, indent);
  if (b === undefined) return `dispatch:     at position ${s.dispatchedPosition}, ${s.undispatchedPositions} behind${s.undispatchedPositions > 0 ? ` (\`${next('run')}\` or any emit or read catches up)` : ''}\n`;
  return `dispatch:     BLOCKED at position ${b.position} by ${b.eventId} (${b.eventType} v${b.schemaVersion}), ${s.undispatchedPositions} behind; every read fails until it is fixed\n` +
    `${indent}${b.code}: ${b.message.replaceAll('\n', `\n${indent}`)}\n`;
}

/**
 * A stall on a full or failing disk: where it stopped, since when, the error naming the fix, and which process met it
 * (another, when status read it from the data dir's record) and whether that one still tries.
 */
function stalledLines(st: NonNullable<EventlakeStatus['dispatchStalled']>, behind: number, follow: FollowUp, indent: string): string {
  const r = st.recordedBy;
  const at = (ms: number) => new Date(ms).toISOString();
  const running = r?.running === undefined ? 'on another host' : r.running ? 'still running' : 'no longer running';
  const next = r?.running === false ? `the next catch-up (\`${follow('run')}\`, or any emit or read) tries again` : `next try from ${at(st.retryAt)}`;
  const by = r === undefined ? next : `recorded by pid ${r.pid} on ${r.host}, ${running}, last tried ${at(r.triedAt)}; ${next}`;
  return `dispatch:     STALLED at position ${st.position}, ${behind} behind, since ${at(st.since)} (${by}); emits are stored, reads answer what is applied\n` +
    `${indent}${st.code}: ${st.message}\n`;
}

const RESTORE_WORDS = { NONE: 'not restored', RESTORING: 'restore in progress', RESTORED: 'restored' } as const;

/** Free bytes under which status warns: emits, dispatch and even opening the data dir fail a little below it. */
const DISK_ALMOST_FULL_BYTES = 1024 * 1024;

/** The free space on the disk holding `path`, when below DISK_ALMOST_FULL_BYTES. */
interface DiskAlmostFull {
  readonly path: string;
  readonly freeBytes: number;
}

/**
 * Whether the disk holding the data dir is almost full. Why here: status opens the data dir without a catch-up, so it
 * sees a dispatch stall only as the stalled process recorded it (finding out would write); one statfs() can warn
 * before that happens.
 * Undefined too where statfs() is not answered (it only warns).
 */
function diskAlmostFull(path: string): DiskAlmostFull | undefined {
  try {
    const { bavail, bsize } = statfsSync(path);
    const freeBytes = bavail * bsize;
    return freeBytes < DISK_ALMOST_FULL_BYTES ? { path, freeBytes } : undefined;
  } catch {
    return undefined;
  }
}

/** What the text form shows beside the status itself. */
interface StatusExtras {
  readonly low: DiskAlmostFull | undefined;
  readonly lacking: ReadonlySet<string>;
  readonly notIndexed: NotIndexed | undefined;
}

/** The status as text; the commands it suggests are spelled by `next` (with the global options status ran with). */
function renderStatus(s: EventlakeStatus, next: FollowUp, { low, lacking, notIndexed }: StatusExtras): void {
  const out = process.stdout;
  const letters = Object.entries(s.deadLetters ?? {});
  out.write(`${s.target} ${s.dataDir}\n`);
  if (low) {
    out.write(`! disk almost full: ${(low.freeBytes / 1024).toFixed(0)} KiB free on ${low.path}; emits, dispatch and opening the data dir ` +
      'fail with STORAGE_FULL once it is full: free space on that disk\n');
  }
  if (s.target === 'aws') out.write(awsEventsAndDispatchLines(s, next));
  else out.write(`${eventsLine(s, notIndexed, next)}${dispatchLines(s, next)}`);
  const none = s.deadLetters === undefined ? `not counted here: ${s.target === 'aws' ? awsDeadLettersElsewhere(next) : s.deadLettersElsewhere}` : 'none';
  out.write(`dead letters: ${letters.length === 0 ? none : `${letters.map(([t, n]) => `${t} ${n}`).join(', ')} (\`${next('dlq', 'list')}\`)`}\n\n`);
  printRows(s.projections.map((p) => ({
    projection: p.name,
    live: p.liveGeneration,
    snapshot: p.latestSnapshot ? `${new Date(p.latestSnapshot.takenAt).toISOString()} of generation ${p.latestSnapshot.generation} at position ${p.latestSnapshot.highWaterMark}` : 'none',
  })), false);
  out.write('\nrules the running code folds with, and those that built each live generation (unknown: none recorded, as for a stack\'s first generation or a lake that folded events before rules were recorded):\n');
  printRows(s.projections.map((p) => ({ projection: p.name, running: p.rules.running, live: `generation ${p.rules.generation}: ${p.rules.live}` })), false);
  for (const p of s.projections) {
    const warning = liveRulesWarning(p.name, p.rules, next);
    if (warning) out.write(`! ${warning}\n`);
    const folded = foreignFoldWarning(p.name, p.rules.generation, p.foldedWithOtherRules, next, lacking.has(p.name));
    if (folded) out.write(`! ${folded}\n`);
  }
  // Only when there are any: each holds storage nobody frees but an operator.
  const others = s.projections.flatMap((p) => (p.otherGenerations ?? []).map((g) => generationRow(p.name, g)));
  if (others.length > 0) {
    out.write(`\ngenerations beside the live ones (finished: kept by a rebuild; \`${next('generations', 'drop', 'N', '--projection', 'P')}\` frees one):\n`);
    printRows(others, false);
  }
  out.write('\n');
  printRows(s.storage.map((t) => ({ ...t })), false);
}
