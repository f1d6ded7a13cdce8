// GET /health: what a load balancer or dashboard polls, answered from cheap reads without catching anything up.

import type { FastifyInstance } from 'fastify';
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
 */
export function registerHealthRoute(app: FastifyInstance, local: LocalEventlake): void {
  app.get('/health', async (_request, reply) => {
    try {
      const [events, last, dispatched] = await Promise.all([local.index.count(), local.index.lastPosition(), local.dispatchedPosition()]);
      // Events, not `last - dispatched`: positions have gaps (see undispatchedEvents). The old name stays for pollers.
      const behind = await undispatchedEvents(local.index, dispatched, last);
      const { blocked, waiting } = behind > 0 ? await probeDispatch(local, dispatched) : {};
      const health = { dataDir: local.dataDir, events, undispatchedEvents: behind, undispatchedPositions: behind };
      if (blocked) return { status: 'blocked', ...health, dispatchBlocked: blocked };
      if (waiting) return { status: 'blocked', reason: `dispatch waiting: ${waiting.code}: ${waiting.message}`, ...health, dispatchWaiting: waiting };
      const stalled = dispatchStalled(local, behind);
      if (stalled) return { status: 'degraded', reason: `dispatch stalled: ${stalled.code}: ${stalled.message}`, ...health, dispatchStalled: stalled };
      return { status: 'ok', ...health };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
