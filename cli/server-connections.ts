// Which of `eventlake serve`'s connections a stop may drop: those whose request never reached the lake.
//
// Why: Node's server.close() (under Fastify's close) waits for every connection that carries a request, and counts as
// one a connection that has sent nothing yet (a client's preconnect: 60 s, until Node's headersTimeout) or only part
// of a request (a stalled upload: for ever, Fastify sets no request timeout). A SIGTERM then did not stop the server.
// Nothing of theirs was stored, so dropping them loses nothing; a request being answered (an emit) is waited for.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The connections of one server, and which of them carry a request that reached its handler. */
export interface ServedConnections {
  /** The request on `raw` reached its handler: its connection is kept until it is answered. */
  answering(raw: IncomingMessage, response: ServerResponse): void;
  /** Destroy every connection not answering a request, now and as they come, until the server has closed. */
  dropUnanswered(): void;
}

/**
 * Follow `server`'s connections from now on. Call `answering` from the request's handler stage (Fastify's preHandler,
 * after its body was read) and `dropUnanswered` when the server starts to close.
 *
 * @example
 * const connections = followConnections(app.server);
 * app.addHook('preHandler', (request, reply, done) => { connections.answering(request.raw, reply.raw); done(); });
 * app.addHook('preClose', (done) => { connections.dropUnanswered(); done(); });
 */
export function followConnections(server: Server): ServedConnections {
  const open = new Set<Socket>();
  // Per connection, its requests being answered (one at a time over HTTP/1.1; a count keeps it exact regardless).
  const busy = new Map<Socket, number>();
  let dropping = false;
  server.on('connection', (socket: Socket) => {
    if (dropping) return void socket.destroy();
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      busy.delete(socket);
    });
  });
  return {
    answering(raw, response) {
      const socket = raw.socket;
      busy.set(socket, (busy.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const left = (busy.get(socket) ?? 1) - 1;
        if (left > 0) busy.set(socket, left);
        else busy.delete(socket);
      });
    },
    dropUnanswered() {
      dropping = true;
      for (const socket of open) if (!busy.has(socket)) socket.destroy();
    },
  };
}
