// `eventlake emit` and `eventlake validate`: events from a file or stdin into the log (or only checked).

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { asStorageFull, isDiskFailure } from '../../adapters/local/storage-full.ts';
import { StorageFullError } from '../../domain/errors.ts';
import { prepareEvents } from '../../projections/eventlake.ts';
import { DeadLetterWatch, deadLetteredLine } from '../dead-letter-hint.ts';
import { appendInChunks, EMIT_CHUNK } from '../emit-chunks.ts';
import { followUp } from '../follow-up.ts';
import { readEventsInput } from '../input.ts';
import { loadSchemaRegistry, userSchemas } from './schemas.ts';
import { globalOptions, wholeNumber, type GlobalOptions } from '../options.ts';
import { printRows, RowPrinter } from '../output.ts';

/** The schemas events are validated against: the user's folders and upcasters (flags, environment or config file). */
const schemasOf = async (opts: GlobalOptions) => loadSchemaRegistry(await userSchemas(opts));

export function registerEmitCommands(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('emit')
    .description('validate events (a JSON object, a JSON array or NDJSON) and append them to the log; nothing is written if any is invalid')
    .argument('[file]', 'file to read, or - for stdin', '-')
    .option('--json', 'one JSON result per line')
    .option('--chunk-size <events>', `append a longer input this many events at a time, printing each chunk's results as it is stored (default ${EMIT_CHUNK})`)
    .action(async (file: string, options: { json?: boolean; chunkSize?: string }, command: Command) => {
      const chunkSize = options.chunkSize === undefined ? EMIT_CHUNK : wholeNumber('--chunk-size', options.chunkSize, 1, 'events');
      let inputs: unknown[] | undefined = await readEventsInput(file);
      const opts = globalOptions(command);
      // Refuse bad input before opening anything: a rejected emit leaves no data directory behind. The whole input is
      // validated before its first chunk is appended, so an invalid event anywhere stores nothing.
      const events = prepareEvents(await schemasOf(opts), inputs);
      inputs = undefined; // prepare copied them: a long input is not held twice while it is appended
      // Not an error (a pipeline may have nothing to send), but a person who gave an empty file should hear of it.
      if (events.length === 0) {
        process.stderr.write(`eventlake: no events in ${file === '-' ? 'stdin' : file}; nothing was written\n`);
        return;
      }
      const local = await open(opts);
      let stored: number;
      try {
        const watch = await DeadLetterWatch.start(local);
        const printer = new RowPrinter(options.json ?? false);
        stored = await appendInChunks(local, events, chunkSize, {
          printed: (results) => printer.print(results.map((r) => ({ status: r.status, id: r.id, key: r.key }))),
          note: (text) => process.stderr.write(text),
        });
        printer.end();
        // Still exit 0 (the events are stored), but a rule that throws should not pass unseen after seconds of retries.
        const dead = deadLetteredLine(await watch?.added() ?? [], followUp(opts));
        if (dead) process.stderr.write(dead);
      } catch (error) {
        // appendInChunks told a conflict with the input lines carrying it (read from the lake, before this close).
        // The emit's own error is the one to tell: a close failing after it (on the same full disk) would hide it.
        await local.close().catch(() => undefined);
        throw error;
      }
      await closeAfterEmit(local, stored);
    });

  program
    .command('validate')
    .description('validate events without writing anything')
    .argument('[file]', 'file to read, or - for stdin', '-')
    .option('--json', 'one JSON result per line')
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const inputs = await readEventsInput(file);
      // Validation needs only the schemas: no data directory is opened or created.
      const events = prepareEvents(await schemasOf(globalOptions(command)), inputs);
      // As emit says it: "(none)" on stdout read as "none of them valid".
      if (events.length === 0) {
        process.stderr.write(`eventlake: no events in ${file === '-' ? 'stdin' : file}; nothing to validate\n`);
        return;
      }
      printRows(events.map((e) => ({ valid: true, type: e.EventType, version: e.SchemaVersion, requestId: e.RequestId })), options.json ?? false);
    });
}

/**
 * Close after a successful emit. Its events are stored (journaled) by then: a close that fails (its checkpoint, on a
 * full disk) must not read as "nothing stored", so it says they are.
 */
async function closeAfterEmit(local: LocalEventlake, stored: number): Promise<void> {
  try {
    await local.close();
  } catch (error) {
    // The log's own StorageFullError cannot count the emit's events: told again from its cause, with the count.
    throw asStorageFull(error instanceof StorageFullError && isDiskFailure(error.cause) ? error.cause : error, 'closing the data dir after the emit (the checkpoint that writes the events\' files)', local.dataDir,
      `all ${stored} events are stored, as listed above (the journal holds them; the next command finishes their files), so sending them again answers duplicate`);
  }
}
