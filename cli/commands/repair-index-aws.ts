// `eventlake repair index --target aws`: a deployed stack's index gets the hour directory its range reads need to
// query only the hours holding events (an index written before the directory existed lists none).

import type { IndexDirectoryRepair } from '../../adapters/aws/dynamodb-index-backfill.ts';
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

/** Backfill the hour directory of the index the options' AWS config names; the report. */
export async function repairAwsIndex(opts: GlobalOptions, env: Readonly<Record<string, string | undefined>> = process.env): Promise<IndexDirectoryRepair> {
  const { settings, where, schemaFolders } = resolveTarget(opts, env);
  const [{ awsConfigFrom }, { repairIndexDirectory }] = await Promise.all([
    import('../../adapters/aws/aws-config.ts'),
    import('../../adapters/aws/dynamodb-index-backfill.ts'),
  ]);
  return repairIndexDirectory(awsConfigFrom({ settings, where, env, schemaFolders }));
}
