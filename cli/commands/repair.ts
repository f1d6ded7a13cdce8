// `eventlake repair catalogue`: rebuild the local log's identity catalogue from index.db, without opening the runtime.

import type { Command } from 'commander';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { CatalogueRepairReport } from '../../adapters/local/catalogue-repair.ts';
import { globalOptions } from '../options.ts';
import { resolveTarget } from '../target.ts';

/** Lines for people: what the catalogue held before and after, and where its journal cursor went. */
export function renderCatalogueRepair(r: CatalogueRepairReport): string[] {
  return [
    `${r.dataDir}: catalogue ${r.created ? 'created and ' : ''}rebuilt from index.db`,
    `identities: ${r.identitiesBefore} before, ${r.identitiesAfter} after (${r.added} added, ${r.removed} removed)`,
    `journal cursor: ${r.cursorBefore} before, ${r.cursorAfter} after (indexer at ${r.indexerCursor}; the lines past it recorded from the journal)`,
  ];
}

/**
 * Registers `repair catalogue [--json]`: exit 0 with the report. A path that is not a data dir, or a catalogue SQLite
 * cannot open, is an error (exit 1, nothing on stdout); the first is not created.
 */
export function registerRepairCommand(program: Command): void {
  const repair = program.command('repair').description('repair a part of the local data dir that can be rebuilt from another');
  repair
    .command('catalogue')
    .description('rebuild journal/catalogue.db (the identities appends check for duplicates) from index.db, in place, under its lock')
    .option('--json', 'the report as one JSON object')
    .exitOverride()
    .action(async (flags: { json?: boolean }, command: Command) => {
      const opts = globalOptions(command);
      // Only the local target has a catalogue; opening no runtime, as `check`, so a catalogue that cannot catch up
      // (which stops FsEventLog.open) does not stop its own repair.
      const { target } = resolveTarget(opts);
      if (target !== 'local') throw new UnsupportedOnTargetError('eventlake repair catalogue', target, 'the catalogue belongs to the local log, a deployed stack has none (use --target local with --data-dir)');
      const { repairCatalogue } = await import('../../adapters/local/catalogue-repair.ts');
      const report = repairCatalogue(opts.dataDir);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderCatalogueRepair(report).join('\n')}\n`);
    });
}
