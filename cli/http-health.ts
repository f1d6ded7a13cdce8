// GET /health: what a load balancer or dashboard polls, answered from cheap reads without catching anything up.

import type { FastifyInstance } from 'fastify';
import { AppendAccessCheck, type AppendAccessProblem } from '../adapters/local/append-access.ts';
import { dataDirLayout } from '../adapters/local/layout.ts';
import { writeRefusal } from '../adapters/local/open-read-only.ts';
import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { dispatchStalled, probeDispatch, undispatchedEvents } from '../projections/status-dispatch.ts';
import { sendError } from './http-errors.ts';

/**
 * `GET /health`: 200 `{ status: 'ok', dataDir, events, undispatchedEvents }` (and `undispatchedPositions`, the same
 * count under its old name), the lag shown being the lag there is; or 200 `{ status: 'blocked', ..., dispatchBlocked }`
 * when an undispatched event is one the registry refuses: every read then fails (503 DISPATCH_BLOCKED) until an operator fixes the schemas or upcasters. Why still 200: this
 * server's first job is ingest, and POST /events keeps storing while dispatch is blocked; a 503 would make a load
 * balancer or readiness probe turn a projection fault into an ingest outage. Monitoring alerts on `status`. Only a lag
 * is probed for it (see `probeDispatch`), so a caught-up lake costs three reads. `{ status: 'degraded', reason,
 * dispatchStalled }` (200 too, for the same reason) while a full or failing disk holds dispatch back: emits are stored and
 * reads answer what is applied, `undispatchedEvents` grows until space is freed, and dispatch then resumes by itself.
 * `{ status: 'blocked', reason, dispatchWaiting }` (200) while the next undispatched event is in an archived object:
 * reads fail until it is restored (`reason` names the object and the restore), then dispatch goes on by itself.
 *
 * A folder appends write to that this process may not write (a chmod or chown under a running server; see
 * AppendAccessCheck, asked at most every few seconds and writing nothing) is `notWritable`: 503 `{ status: 'failing',
 * reason, notWritable }` when appends into the current hour's folder or the newest event's fail now, since ingest
 * itself is down and a load balancer should send events elsewhere; 200 `degraded` when only a later append fails (a
 * new hour's folder, the journal's next segment). `reason` and `notWritable.message` name the folder and the fix.
 *
 * A server whose data dir was opened read-only (`--read-only`, EVENTLAKE_READ_ONLY=1, a read-only mount, another
 * user's files) adds `readOnly: true` and probes no folder: its POST /events answers 405 by design, so a router that
 * sends events must leave it out on `readOnly`. Its status stays `ok` (200) when its reads are well: taking it out of
 * rotation (503, `failing`) would stop the GET routes it serves, and paging on `status` would page on a configuration.
 * Query parameters are ignored, unlike the other routes': a probe is not a question that a typo can change, and
 * monitors add cache-busters (`?_=1700000000`) that must not read as the lake being down.
 */
export function registerHealthRoute(app: FastifyInstance, local: LocalEventlake): void {
  const access = new AppendAccessCheck(dataDirLayout(local.dataDir), local.now);
  app.get('/health', async (_request, reply) => {
    try {
      const [events, last, dispatched] = await Promise.all([local.index.count(), local.index.lastPosition(), local.dispatchedPosition()]);
      // Events, not `last - dispatched`: positions have gaps (see undispatchedEvents). The old name stays for pollers.
      const behind = await undispatchedEvents(local.index, dispatched, last);
      // Read-only, appends are refused by design (POST /events answers 405), not failing: no folder is probed.
      const readOnly = writeRefusal(local, 'lake.emit') !== undefined;
      const problem = readOnly ? undefined : await access.problem(() => appendHours(local, last));
      const notWritable = problem ? { notWritable: notWritableOf(problem) } : {};
      const health = { dataDir: local.dataDir, events, undispatchedEvents: behind, undispatchedPositions: behind, ...(readOnly ? { readOnly } : {}), ...notWritable };
      if (problem?.now) return reply.code(503).send({ status: 'failing', reason: `appends fail: ${problem.error.code}: ${problem.error.message}`, ...health });
      const { blocked, waiting } = behind > 0 ? await probeDispatch(local, dispatched) : {};
      if (blocked) return { status: 'blocked', ...health, dispatchBlocked: blocked };
      if (waiting) return { status: 'blocked', reason: `dispatch waiting: ${waiting.code}: ${waiting.message}`, ...health, dispatchWaiting: waiting };
      const stalled = dispatchStalled(local, behind);
      if (stalled) return { status: 'degraded', reason: `dispatch stalled: ${stalled.code}: ${stalled.message}`, ...health, dispatchStalled: stalled };
      if (problem) return { status: 'degraded', reason: `appends will fail: ${problem.error.code}: ${problem.error.message}`, ...health };
      return { status: 'ok', ...health };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

/** The hours (epoch seconds) appends are expected in: the clock's, and the newest indexed event's (events carry their own time). */
async function appendHours(local: LocalEventlake, last: number): Promise<number[]> {
  const newest = last > 0 ? (await local.index.afterPosition(last - 1, 1)).entries[0] : undefined;
  return [Math.floor(local.now() / 1000), ...(newest ? [newest.timestamp] : [])];
}

function notWritableOf({ error }: AppendAccessProblem) {
  return { code: error.code, path: error.details.path, errno: error.details.errno, message: error.message };
}
