// `eventlake repair index --target aws`: a deployed stack's index gets the hour directory its range reads need to
// query only the hours holding events (an index written before the directory existed lists none), and each entry the
// accounts its type's schema declares now (an event stored before `x-eventlake-accounts` was added keeps its old ones).

import type { AwsIndexRepair, IndexDirectoryRepair } from '../../adapters/aws/dynamodb-index-backfill.ts';
import type { IndexAccountsRepair } from '../../adapters/aws/dynamodb-index-accounts-repair.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import type { GlobalOptions } from '../options.ts';
import { resolveTarget } from '../target.ts';

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(':00:00.000Z', ':00Z');

/** Lines for people: the table, how many hours hold events, and from which to which. */
export function renderIndexDirectoryRepair(r: IndexDirectoryRepair): string[] {
  const span = r.first !== undefined && r.last !== undefined ? ` (${iso(r.first)} to ${iso(r.last)})` : '';
  return [
    `${r.table}: hour directory complete: ${r.hours} hours hold events${span}`,
    'range reads (events --since, rebuild plans and replays) now query only those hours',
  ];
}

/** The commands of a repair run without the CLI's options: the stack's, named by --target aws. */
const onAws: FollowUp = (...args) => followUp()('--target', 'aws', ...args);

/**
 * Lines for people: what the account re-derivation counted, per type, and what is left with its fix; its commands
 * spelled by `next` (the CLI's, with the global options the repair ran with, which chose the stack).
 */
export function renderIndexAccountsRepair(r: IndexAccountsRepair, next: FollowUp = onAws): string[] {
  const counts = (c: Omit<IndexAccountsRepair, 'byType' | 'archivedObjects' | 'unknownTypes' | 'digestsRecorded'>) =>
    `${c.scanned} scanned, ${c.updated} updated, ${c.alreadyRight} already right, ${c.archivedSkipped} archived (skipped)` +
    `${c.changedConcurrently ? `, ${c.changedConcurrently} changed by another writer (left as written)` : ''}${c.missing ? `, ${c.missing} missing from their object` : ''}`;
  const lines = [`accounts: ${counts(r)}`];
  for (const [type, c] of Object.entries(r.byType).sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${type}: ${counts(c)}`);
  // Entries indexed before digests: an archived copy is compared by its digest when an event is sent again.
  if (r.digestsRecorded > 0) lines.push(`content digests recorded: ${r.digestsRecorded} (entries indexed before digests)`);
  for (const u of r.unknownTypes) lines.push(`warning: ${u.entries} entries of ${u.type} left untouched: no loaded schema knows the type; pass its schema folder with --schemas DIR`);
  for (const o of r.archivedObjects) lines.push(`warning: ${o.key} is in ${o.storageClass}: its ${o.entries} entries were not checked`);
  if (r.archivedObjects.length > 0) {
    lines.push(`restore the archived objects (${next('restore', '--keys', 'KEY...')}, or --since/--until) and run ${next('repair', 'index')} again once the restores complete`);
  }
  if (r.changedConcurrently > 0) lines.push(`entries changed by another writer during the repair: run ${next('repair', 'index')} again to check them`);
  return lines;
}

/** Whether the repair left something to do (exit 1): archived objects unread, or entries another writer changed. */
export function accountsRepairLeftWork(r: IndexAccountsRepair): boolean {
  return r.archivedObjects.length > 0 || r.changedConcurrently > 0;
}

/** Lines for people of the whole AWS repair. */
export function renderAwsIndexRepair(r: AwsIndexRepair, next: FollowUp = onAws): string[] {
  return [...renderIndexDirectoryRepair(r), ...renderIndexAccountsRepair(r.accounts, next)];
}

/**
 * Backfill the hour directory of the index the options' AWS config names, and re-derive each entry's accounts with
 * the schemas of `--schemas DIR` / the config's schemaFolders; the report. Its clients word a wrong bucket, table,
 * region or credentials as every other `--target aws` command does (config-errors.ts): the setting and the fix.
 */
export async function repairAwsIndex(opts: GlobalOptions, env: Readonly<Record<string, string | undefined>> = process.env): Promise<AwsIndexRepair> {
  const { settings, where, schemaFolders } = resolveTarget(opts, env);
  const [{ awsConfigFrom }, { buildAwsClients }, { withConfigErrors }, { repairAwsIndexTable }, { SchemaRegistry }] = await Promise.all([
    import('../../adapters/aws/aws-config.ts'),
    import('../../adapters/aws/aws-clients.ts'),
    import('../../adapters/aws/config-errors.ts'),
    import('../../adapters/aws/dynamodb-index-backfill.ts'),
    import('../../schemas/registry.ts'),
  ]);
  const registry = SchemaRegistry.load({ folders: schemaFolders });
  const known = new Set(registry.types().map((t) => t.type));
  const config = awsConfigFrom({ settings, where, env, schemaFolders });
  const { region, endpoint, forcePathStyle } = config;
  const { clients, owned } = buildAwsClients({ region, endpoint, forcePathStyle, ...(config.clients ? { clients: config.clients } : {}) }, env);
  try {
    return await repairAwsIndexTable({ ...config, clients: { ...config.clients, ...clients, ...withConfigErrors(clients, config, env) } }, { accountsOf: registry.accountsOf, knowsType: (type) => known.has(type) });
  } finally {
    for (const client of owned) client.destroy();
  }
}
