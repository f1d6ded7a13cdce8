// Text renderings of plans, rebuilds and verifications, shared by the CLI and the demo.

import { byAccount } from './compare.ts';
import type { RebuildReport } from './coordinator.ts';
import type { RebuildPlan } from './plan.ts';
import type { PromoteReport } from './promote.ts';
import type { RehydrateReport } from './rehydrate.ts';
import type { ArchiveClass, RestoreVolume } from './restore-costs.ts';
import { formatDuration } from './restore-costs.ts';
import type { VerifyReport } from './verify.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** How a plan is to be run: here (`--against` chooses the references), or by the stack's rebuild function. */
export interface PlanRenderOptions {
  /** The rebuild function (`rebuild --remote`) runs it: it always verifies against the log. */
  readonly remote?: boolean;
}

/**
 * The plan as lines: start point, replay set per tier, the replay's restores, what its verification restores beyond
 * them, and the estimated cost/time per tier of both.
 */
export function renderPlan(plan: RebuildPlan, options: PlanRenderOptions = {}): string[] {
  const lines = [
    `plan: rebuild ${plan.projection} from ${plan.from === 0 ? 'an empty projection (--from 0)' : iso(plan.from)}${plan.until !== undefined ? `, events before ${iso(plan.until)}` : ''}`,
    plan.snapshot
      ? `  start: snapshot ${plan.snapshot.id} taken ${iso(plan.snapshot.takenAt)} (contains positions <= ${plan.baseMark})`
      : '  start: empty projection',
    `  replay: ${plan.events.count} events, ${kb(plan.events.bytes)}, ${plan.events.objects} objects (positions ${plan.baseMark + 1}..${plan.mark})`,
  ];
  for (const t of plan.tiers) {
    lines.push(`    ${(t.storageClass + (t.restored ? ' (restored)' : '')).padEnd(24)} ${String(t.events).padStart(8)} events ${kb(t.bytes).padStart(12)} ${String(t.objects).padStart(6)} objects`);
  }
  const { GLACIER: g, DEEP_ARCHIVE: d } = plan.restores;
  lines.push(`  restores needed by the replay: ${g.objects} GLACIER object(s) (${kb(g.bytes)}), ${d.objects} DEEP_ARCHIVE object(s) (${kb(d.bytes)})`);
  const more = verificationLine(plan, options);
  if (more) lines.push(more);
  const verifying = plan.verification ? objectsIn(plan.verification.restores) : 0;
  if (g.objects + d.objects + verifying > 0) {
    lines.push(`  estimated AWS restore cost and time${verifying > 0 ? ` of both${g.objects + d.objects > 0 ? " (the verification's wait after the replay's)" : ''}` : ''} (S3 list prices, us-east-1):`);
    for (const e of plan.estimates) {
      const used = Object.entries(e.tiersUsed).filter(([, t]) => t !== e.tier).map(([c, t]) => ` (${c} uses ${t})`).join('');
      lines.push(`    ${e.tier.padEnd(10)} ${e.cost.padStart(10)}  ${formatDuration(e.minMinutes, e.maxMinutes)}${used}`);
    }
  }
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

const objectsIn = (r: Readonly<Record<ArchiveClass, RestoreVolume>>) => r.GLACIER.objects + r.DEEP_ARCHIVE.objects;

/** What verifying a rebuild from a snapshot restores beyond the replay, and how to avoid it; undefined from no snapshot. */
function verificationLine(plan: RebuildPlan, options: PlanRenderOptions): string | undefined {
  if (plan.baseMark === 0) return undefined;
  const avoid = plan.until !== undefined
    ? 'a rebuild with --until is verified against the log only (a historical view), so it cannot be avoided'
    : options.remote
    ? 'the rebuild function always verifies against the log (--remote takes no --against): rebuild without --remote, with --against snapshot, to avoid it'
    : '--against snapshot avoids it';
  const v = plan.verification;
  if (!v) return `  verification against the log also restores the archived objects before the snapshot, which this plan (made by an older eventlake) does not count; ${avoid}`;
  const n = objectsIn(v.restores);
  if (n === 0) return `  verification against ${v.against.join(', ')} restores nothing more`;
  const classes = (['GLACIER', 'DEEP_ARCHIVE'] as const).filter((c) => v.restores[c].objects > 0).map((c) => `${v.restores[c].objects} ${c}, ${kb(v.restores[c].bytes)}`);
  return `  verification against the log restores ${n} more object(s) (${classes.join('; ')}): those before the snapshot, read by its fold of the whole log; ${avoid}`;
}

/** The rebuild's outcome and per-phase timings. */
export function renderRebuild(report: RebuildReport): string[] {
  const cp = report.checkpoint;
  return [
    `rebuilt ${report.projection} into generation ${report.generation}${report.resumed ? ' (continued an earlier rebuild of this plan: an interrupted one, or one kept unpromoted)' : ''}: ` +
      `${cp.applied} applied, ${cp.duplicates} duplicate, ${cp.skipped} skipped; ${report.objectsRead} objects read, ${report.eventsPerSecond} events/s`,
    `  rehydrated ${restoredOf(report.rehydrated)}`,
    `  phases: ${report.phases.map((p) => `${p.phase} ${p.ms} ms`).join(', ')}`,
  ];
}

/** Verification outcome, what it restored (if anything); on a mismatch, the differences grouped by account. */
export function renderVerify(report: VerifyReport, limit = 50): string[] {
  const head = `verify ${report.projection} generation ${report.generation} against ${report.reference} at position ${report.mark}: `;
  const restores = verificationRestoresLine(report);
  if (report.passed) return [`${head}passed (${report.accounts} accounts, ${report.rows} rows)`, ...restores];
  const lines = [`${head}FAILED, ${report.differences.length} difference(s) in ${byAccount(report.differences).size} account(s)`, ...restores];
  let shown = 0;
  for (const [account, diffs] of byAccount(report.differences)) {
    if (shown >= limit) break;
    lines.push(`  account ${account}:`);
    for (const d of diffs) {
      if (shown++ >= limit) break;
      const name = d.kind === 'counter' ? 'counter' : d.kind === 'applied' ? 'idempotency records' : `row ${d.key.slice(account.length + 1)}`;
      lines.push(`    ${name}: expected ${d.expected ?? '(absent)'}, got ${d.actual ?? '(absent)'}`);
    }
  }
  if (report.differences.length > limit) lines.push(`  … and ${report.differences.length - limit} more`);
  return lines;
}

/** The verification's restores (billed like the replay's, which the rebuild's line counts), or nothing if it restored none. */
function verificationRestoresLine({ rehydrated: r }: VerifyReport): string[] {
  if (!r || r.objects - r.alreadyReadable <= 0) return [];
  return [`  verification restored ${restoredOf(r)}`];
}

/**
 * What a rehydration made readable, its restore requests per tier and its polls: those of every invocation of a
 * rebuild the rebuild function resumed (restore-record.ts), so the requests are what was paid for.
 */
function restoredOf(r: RehydrateReport): string {
  const requested = Object.entries(r.requested).filter(([, n]) => n > 0).map(([tier, n]) => `${n} ${tier}`);
  const asked = requested.length > 0 ? `${requested.join(', ')} restore request(s), ` : '';
  return `${r.objects - r.alreadyReadable} of ${r.objects} archived object(s) (${asked}${r.polls} poll(s))`;
}

export function renderPromote(report: PromoteReport): string[] {
  return [`promoted ${report.projection} generation ${report.generation} (was ${report.previous}); ${report.toppedUp} event(s) that arrived meanwhile topped up`];
}
