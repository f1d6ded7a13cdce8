// `eventlake serve`: the HTTP ingest API on 127.0.0.1.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { compactAfterHoursOption, compactEveryOption, compactWhileRunning, parseCompactAfterHours, parseCompactEvery } from '../background-compaction.ts';
import { DeadLetterWatch, deadLetteredLine } from '../dead-letter-hint.ts';
import { followUp } from '../follow-up.ts';
import { everyFewMoments } from '../every-few-moments.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { requireLocal } from '../target.ts';

/** The TCP port of `--port`: a whole number 0-65535 (0 = any free port), else InvalidArgumentError naming the flag. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError('--port', `${text} is not a TCP port: give a whole number from 1 to 65535 (0 picks a free one), e.g. --port 8080`);
  return port;
}

/**
 * Shortest time between two looks for new dead letters. Why not after every response: each look lists the store, and
 * a rule that throws on every event dead-letters each request's events, so a look per request would list a store
 * growing by the request (quadratic, under exactly the load that fills it).
 */
const DEAD_LETTER_CHECK_MS = 1_000;

/**
 * How long a stop waits for the requests in flight before it closes the eventlake under them. Why a grace at all: a
 * request waiting for a catch-up that never ends (another process emitting faster than this one dispatches) kept the
 * server from closing, and only the eventlake's close() stops that catch-up. Why not close at once: a request that
 * waits behind another (an emit queued behind a read) is answered rather than refused with a 503.
 */
const STOP_GRACE_MS = 5_000;

/**
 * Stop serving on SIGTERM/SIGINT without dropping a request: Fastify's close stops accepting connections and resolves
 * once the requests in flight have been answered; only then does the eventlake close (which itself waits for any call
 * still running), so no request meets a closed database. Past STOP_GRACE_MS the eventlake is closed anyway (see
 * `stopServingWithin`).
 */
export function stopServing(app: { close(): Promise<unknown> }, local: Pick<LocalEventlake, 'close'>): Promise<void> {
  return stopServingWithin(app, local, STOP_GRACE_MS);
}

/**
 * `stopServing` with a grace of `graceMs`: past it the eventlake is closed under the requests still in flight, so a
 * catch-up in flight stops at its next batch, an emit already appending is answered, and a read it cut short or a
 * request not yet started answers 503 with Retry-After.
 */
export async function stopServingWithin(app: { close(): Promise<unknown> }, local: Pick<LocalEventlake, 'close'>, graceMs: number): Promise<void> {
  const served = app.close();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
  await Promise.race([served.catch(() => undefined), grace]);
  clearTimeout(timer);
  await Promise.all([local.close(), served]);
}

/**
 * How often a server whose dispatch a full disk stalled tries a catch-up of its own. Why: catch-ups run on requests, so
 * a server nobody writes to or reads from stayed stalled (and /health 'degraded') after space was freed.
 */
const STALLED_RETRY_MS = 5_000;

/**
 * While `local.dispatchStall()` says a full disk holds dispatch back, catch up every `everyMs` (the tail's own back-off
 * decides whether that touches the disk); returns the function that stops it. Its timer keeps no process alive.
 */
export function resumeWhileStalled(local: Pick<LocalEventlake, 'catchUp' | 'dispatchStall'>, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (local.dispatchStall?.()) local.catchUp().catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function registerServeCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('serve')
    .description('HTTP ingest API on 127.0.0.1: POST /events, GET /events, GET /balances[/ACCOUNT], GET /statement/ACCOUNT, GET /health')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', '8080')
    .addOption(compactEveryOption())
    .addOption(compactAfterHoursOption())
    .action(async (options: { port: string; compactEvery: string; compactAfterHours: string }, command: Command) => {
      // Checked before the data dir is opened: a typo in --port should not create or recover anything.
      const port = parsePort(options.port);
      const compactEveryMs = parseCompactEvery(options.compactEvery);
      const afterHours = parseCompactAfterHours(options.compactAfterHours);
      // Loaded here, not at the top: Fastify costs ≈ 0.3 s of every other command's start-up.
      const { buildServer } = await import('../server.ts');
      const opts = globalOptions(command);
      const local = await open(opts);
      await requireLocal(local, 'eventlake serve', 'on AWS applications write events to the bucket (grantEmit; S3EventLog or the CLI\'s emit with --target aws), and the indexer and projector Lambdas do the rest');
      const app = buildServer(local, { command: followUp(opts) });
      // Requests catch up (an emit, a read): the log says so when that dead-lettered events.
      const watch = await DeadLetterWatch.start(local);
      if (watch) app.addHook('onResponse', everyFewMoments(DEAD_LETTER_CHECK_MS, async () => {
        const dead = deadLetteredLine(await watch.added(), followUp(opts));
        if (dead) process.stderr.write(dead);
      }));
      let address: string;
      try {
        address = await app.listen({ host: '127.0.0.1', port });
      } catch (error) {
        await app.close();
        await local.close();
        // Another server on the port is an operator's mistake with an obvious fix, not an unexpected error.
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new InvalidArgumentError('--port', `127.0.0.1:${port} is already in use by another process: stop it, or choose another --port`);
        }
        throw error;
      }
      const stopResuming = resumeWhileStalled(local, STALLED_RETRY_MS);
      const compaction = await compactWhileRunning(local, { everyMs: compactEveryMs, afterHours, doing: 'serving' });
      const close = async () => {
        stopResuming();
        // Stopped at once, beside the requests' grace: a run ends at its next chunk, before the data dir closes.
        const compactionStopped = compaction.stop();
        await stopServing(app, { close: async () => { await compactionStopped; await local.close(); } });
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      process.stderr.write(`eventlake: listening on ${address} (data in ${local.dataDir})\n`);
    });
}
