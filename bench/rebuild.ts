// Rebuild figure: plan → rebuild → verify of the balances projection over the whole benchmark log (the older half
// archived, restore delay 0), in a child process so its peak RSS is its own.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Dataset } from './dataset.ts';
import { conditions, round, type Figure } from './figure.ts';

const CHILD = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));
const GIB = 1024 ** 3;

interface ChildReport {
  readonly wallMs: number;
  readonly planMs: number;
  readonly rebuildMs: number;
  readonly verifyMs: number;
  readonly phases: readonly { phase: string; ms: number }[];
  readonly events: number;
  readonly objects: number;
  readonly applied: number;
  readonly objectsRead: number;
  readonly restored: number;
  readonly passed: boolean;
  /** What the generation was verified against (VerifyReport.reference). */
  readonly reference: string;
  readonly verifyError?: string;
  readonly peakRssBytes: number;
}

function runChild(dataDir: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, dataDir], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`rebuild child failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport);
    });
  });
}

export async function rebuildFigure(options: { dataset: Dataset; notes: readonly string[] }): Promise<Figure> {
  const { dataset } = options;
  const r = await runChild(dataset.dir);
  const seconds = r.wallMs / 1000;
  const phase = (name: string) => r.phases.find((p) => p.phase === name)?.ms ?? 0;
  return {
    id: 'rebuild', name: 'rebuild from T (plan → verified)', value: round(seconds, 2), unit: 's',
    raw: null, ratio: null,
    target: '<= 5 s and <= 1 GiB peak RSS',
    pass: seconds <= 5 && r.peakRssBytes <= GIB && r.passed,
    details: {
      peakRssMiB: round(r.peakRssBytes / 1024 ** 2), planMs: round(r.planMs), rebuildMs: round(r.rebuildMs), verifyMs: round(r.verifyMs),
      snapshotMs: phase('snapshot'), rehydrateMs: phase('rehydrate'), replayMs: phase('replay'),
      replayedEvents: r.applied, objectsRead: r.objectsRead, objectsRestored: r.restored, verified: r.passed,
      verifiedAgainst: r.reference, ...(r.verifyError ? { verifyError: r.verifyError } : {}),
    },
    conditions: conditions({
      events: r.events, eventBytes: dataset.eventBytes, batchSize: null,
      fsync: 'projections.db synchronous=FULL per replay batch; restores copy + fsync each archived segment',
      cache: 'warm',
      notes: [`from T = 0 (no snapshot): every indexed event replayed; ${dataset.archived.events} events in ${dataset.archived.objects} GLACIER segments restored with restoreDelayMs 0`,
        'openLocalEventlake + RebuildCoordinator in a child process: plan, rebuild (snapshot, rehydrate, replay), verify against the log (the fold the replay computed of what it read, checked against the index\'s positions; the log is read again only if a check fails); peak RSS = the child\'s maxRSS',
        ...options.notes],
    }),
  };
}
