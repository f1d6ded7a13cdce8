// `eventlake repair catalogue|index`: rebuild a part of the local data dir from another, without opening the runtime.

import type { Command } from 'commander';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { CatalogueRepairReport } from '../../adapters/local/catalogue-repair.ts';
import type { IndexRepairReport } from '../../adapters/local/index-repair.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { globalOptions } from '../options.ts';
import { resolveTarget } from '../target.ts';
import { refuseUnusableDataDir } from '../data-dir-guard.ts';
import { refuseUnusableAccess } from '../../adapters/local/data-dir-access.ts';
import { dataDirLayout } from '../../adapters/local/layout.ts';

/** Lines for people: what the catalogue held before and after, and where its journal cursor went. */
export function renderCatalogueRepair(r: CatalogueRepairReport): string[] {
  return [
    `${r.dataDir}: catalogue ${r.created ? 'created and ' : ''}rebuilt from index.db`,
    `identities: ${r.identitiesBefore} before, ${r.identitiesAfter} after (${r.added} added, ${r.removed} removed)`,
    `journal cursor: ${r.cursorBefore} before, ${r.cursorAfter} after (indexer at ${r.indexerCursor}; the lines past it recorded from the journal)`,
  ];
}

/**
 * Lines for people: what was read, what the index holds now, and every stored position the repair dealt with; the
 * commands they name are spelled by `next` (the CLI's, with the global options the repair ran with).
 */
export function renderIndexRepair(r: IndexRepairReport, next: FollowUp = followUp()): string[] {
  const { hot, restored, archived } = r.objectsRead;
  const lines = [
    `${r.dataDir}: index.db ${r.replaced ? 'rebuilt from the objects' : 'already matches the objects: nothing changed'}`,
    `objects read: ${hot} hot, ${restored} restored, ${archived} archived (${r.batchObjects} batch objects, ${r.otherObjects} segments and one-event objects)`,
    `events: ${r.eventsIndexed} indexed (${r.eventsRead} lines read), indexer cursor at journal offset ${r.indexerCursor}`,
    `positions: ${r.positions === 'unknown' ? 'unknown (no readable old index to compare with)' : r.positions}`,
  ];
  if (r.oldIndexKeptAt) lines.push(`old index kept at ${r.oldIndexKeptAt}`);
  for (const c of r.dispatchCheckpointsReset) lines.push(`dispatch checkpoint ${c.name}: ${c.before} -> ${c.after} (the archived events count as dispatched, and so do hot ones before it that the old index had dispatched; the next drain re-dispatches every later one, projections apply each once)`);
  for (const c of r.dispatchCheckpointsReset.filter((c) => c.archivedNotDispatched > 0)) {
    lines.push(`warning: dispatch checkpoint ${c.name} had not dispatched at least ${c.archivedNotDispatched} archived events (archived before dispatch reached them): ` +
      `they now count as dispatched and no projection has them; run ${next('rebuild', '--projection', 'P', '--from', '0')} for each projection P to apply them`);
  }
  for (const d of r.rebuildsDropped) lines.push(`generation ${d.generation} of ${d.projection} dropped (a rebuild beside the live one, its progress counted in old positions): run its rebuild again if you need it (${next('rebuild', '--projection', d.projection, '--from', 'T')}, with the --from it had)`);
  if (r.snapshotsMovedTo) lines.push(`${r.snapshotsMoved} snapshots moved aside to ${r.snapshotsMovedTo} (their high-water marks are old positions)`);
  if (r.catalogueNeedsRepair) lines.push(`next: the identity catalogue (journal/catalogue.db) could not catch up from the journal; run ${next('repair', 'catalogue')} now, before anything appends`);
  return lines;
}

/**
 * Registers `repair catalogue [--json]` and `repair index [--json]`: exit 0 with the report (`repair index --target aws`:
 * the DynamoDB index's hour directory backfilled and its accounts re-derived, repair-index-aws.ts; exit 1 when archived objects were left). A path that is not a data dir, or a catalogue SQLite
 * cannot open, is an error (exit 1, nothing on stdout); the first is not created. `repair index` also refuses a data
 * dir in use by another process.
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
      refuseUnusableDataDir(opts.dataDir); // in the CLI's words (--data-dir), before the repair's API wording (dataDir)
      // Repairs open no runtime, so they check as opening one does: a read-only or another user's data dir is refused.
      refuseUnusableAccess(dataDirLayout(opts.dataDir));
      const { repairCatalogue } = await import('../../adapters/local/catalogue-repair.ts');
      const report = repairCatalogue(opts.dataDir);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderCatalogueRepair(report).join('\n')}\n`);
    });
  repair
    .command('index')
    .description('rebuild index.db from the objects on disk (hot, restored, archived); stop every process using the data dir first: ' +
      'they hold index.db open and would keep writing to the replaced file. When positions change, dispatch checkpoints move back (hot events are re-dispatched) and snapshots are moved aside. ' +
      'With --target aws: backfill the DynamoDB index\'s hour directory (one Scan), so range reads of an index written before it query only the hours holding events; ' +
      'run it once the deploy of this version is done and a minute has passed (an indexer of an older version still running lists no hours; safe to re-run). ' +
      'It then re-derives each entry\'s accounts from its event in S3 with the loaded schemas (--schemas DIR, x-eventlake-accounts) and updates the entries whose accounts differ; ' +
      'archived objects are skipped and listed (restore them, then run it again: exit 1 until none is left), types no loaded schema knows are left untouched')
    .option('--json', 'the report as one JSON object')
    .exitOverride()
    .action(async (flags: { json?: boolean }, command: Command) => {
      const opts = globalOptions(command);
      const { target, schemaFolders } = resolveTarget(opts);
      if (target === 'aws') {
        // A deployed stack's index is rebuilt by its indexer, not from here: what it may lack is its hour directory.
        const { repairAwsIndex, renderAwsIndexRepair, accountsRepairLeftWork } = await import('./repair-index-aws.ts');
        const report = await repairAwsIndex(opts);
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderAwsIndexRepair(report, followUp(opts)).join('\n')}\n`);
        if (accountsRepairLeftWork(report.accounts)) process.exitCode = 1;
        return;
      }
      refuseUnusableDataDir(opts.dataDir);
      refuseUnusableAccess(dataDirLayout(opts.dataDir));
      const [{ repairIndex }, { SchemaRegistry }] = await Promise.all([import('../../adapters/local/index-repair.ts'), import('../../schemas/registry.ts')]);
      // The schemas' account fields (x-eventlake-accounts), so repaired entries are indexed under the accounts the indexer uses.
      const report = await repairIndex(opts.dataDir, { accountsOf: SchemaRegistry.load({ folders: schemaFolders }).accountsOf });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderIndexRepair(report, followUp(opts)).join('\n')}\n`);
    });
}
