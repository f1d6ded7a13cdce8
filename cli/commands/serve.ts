// `eventlake serve`: the HTTP ingest API on 127.0.0.1.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { buildServer } from '../server.ts';
import { requireLocal } from '../target.ts';

export function registerServeCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('serve')
    .description('HTTP ingest API on 127.0.0.1: POST /events, GET /events, GET /balances[/ACCOUNT], GET /health')
    .option('--port <port>', 'TCP port', '8080')
    .action(async (options: { port: string }, command: Command) => {
      const local = await open(globalOptions(command));
      await requireLocal(local, 'eventlake serve', 'on AWS applications write events to the bucket (grantEmit; S3EventLog or the CLI\'s emit with --target aws), and the indexer and projector Lambdas do the rest');
      const app = buildServer(local);
      const close = async () => {
        await app.close();
        await local.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      const address = await app.listen({ host: '127.0.0.1', port: Number(options.port) });
      process.stderr.write(`eventlake: listening on ${address} (data in ${local.dataDir})\n`);
    });
}
