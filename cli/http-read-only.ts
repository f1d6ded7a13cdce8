// POST /events on a server whose data dir was opened read-only: refused as a method this server does not take,
// before its body is read, rather than as a request whose events are wrong.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeRefusal } from '../adapters/local/open-read-only.ts';
import { respelled } from '../domain/command-spelling.ts';
import type { FollowUp } from './follow-up.ts';

/** The methods /events takes on a read-only server (Fastify answers HEAD for every GET route). */
export const READ_ONLY_ALLOW = 'GET, HEAD';

/**
 * Answer a POST /events on a server opened read-only (`--read-only`, EVENTLAKE_READ_ONLY=1, a read-only mount, another
 * user's files) with 405, `Allow: GET, HEAD` and the lake's refusal as `{ error: 'DATA_DIR_NOT_WRITABLE' (or
 * 'DATA_DIR_FOREIGN_OWNER'), message }`, its commands spelled by `command`; undefined for any other request or server.
 *
 * Why 405: the server stays unable to write until an operator restarts it on a writable data dir, so this server's
 * /events does not take POST at all, which is what 405 says (with `Allow` naming what it takes), and clients do not
 * retry it. A 422 (what it answered) reads as invalid events, so a client drops or "fixes" them; a 503 asks for a retry
 * that waiting never makes succeed (the server's 503s are a full disk or a restore, which do clear); a 403 reads as the
 * client's credentials. Why before the body is read: whatever the body, the answer is this one.
 */
export function refuseReadOnlyPost(local: object, request: FastifyRequest, reply: FastifyReply, command?: FollowUp): FastifyReply | undefined {
  if (request.method !== 'POST' || request.url.split('?')[0] !== '/events') return undefined;
  const refused = writeRefusal(local, 'lake.emit');
  if (refused === undefined) return undefined;
  const error = (command ? respelled(refused, command) : refused) as Error & { code?: string };
  return reply.code(405).header('allow', READ_ONLY_ALLOW).send({ error: error.code ?? 'DATA_DIR_NOT_WRITABLE', message: error.message });
}
