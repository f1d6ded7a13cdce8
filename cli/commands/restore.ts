// `eventlake restore [--keys K… | --since T --until T]` and `restore status`: bring archived objects back for reading.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { InvalidArgumentError, RestoreRequestError } from '../../domain/errors.ts';
import type { ObjectStorage, RestoreTier } from '../../domain/ports/storage.ts';
import { effectiveTier, type ArchiveClass } from '../../projections/rebuild/restore-costs.ts';
import { globalOptions, readingOptions, wholeNumber, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { parseTime, parseTimeMs } from '../time.ts';

interface Selection { keys?: string[]; since?: string; until?: string }
interface RequestOptions extends Selection { tier: string; days: string; wait?: boolean; json?: boolean }

const TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

/** `--tier`, any case, as `rebuild --restore-tier` takes it; a bad value is exit 1 like every bad option value (commander's choices exited 2). */
function tierOf(text: string): RestoreTier {
  const tier = TIERS.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!tier) throw new InvalidArgumentError('--tier', `"${text}" is not one of ${TIERS.join(', ')}, e.g. --tier Bulk`);
  return tier;
}

const row = (s: ObjectStorage) => ({
  key: s.key, storageClass: s.storageClass, restore: s.restore,
  expiresAt: s.restoreExpiresAt === undefined ? undefined : new Date(s.restoreExpiresAt).toISOString(),
});

/** Keys named by `--keys`, or the archived objects holding events of `--since`..`--until` (undefined when neither). */
async function selectedKeys(local: LocalEventlake, o: Selection): Promise<string[] | undefined> {
  if (o.keys && (o.since !== undefined || o.until !== undefined)) throw new InvalidArgumentError('--keys', 'give either --keys or --since/--until, not both');
  if (o.keys) return [...new Set(o.keys)];
  if (o.since === undefined && o.until === undefined) return undefined;
  if (o.since === undefined || o.until === undefined) throw new InvalidArgumentError('--since', 'give both --since and --until');
  const from = parseTime('--since', o.since);
  const to = parseTime('--until', o.until);
  // Compared in ms: bounds within one second (…:59.2Z to …:59.7Z) are in order and hold no whole second, so no event.
  if (parseTimeMs('--until', o.until) <= parseTimeMs('--since', o.since)) throw new InvalidArgumentError('--until', 'must be after --since');
  if (to === from) return [];
  // The index only, not dispatch: restoring is the way out of dispatch waiting on an archived object, which a full catch-up
  // would stop at before a single key was chosen.
  await local.catchUpIndex?.();
  const keys = new Set<string>();
  for await (const e of local.index.between({ from, to })) keys.add(e.location.key);
  return (await local.archive.storage([...keys])).filter((s) => s.storageClass !== 'STANDARD').map((s) => s.key);
}

/**
 * Request the restores of `keys` as `eventlake rebuild` does: Deep Archive offers no Expedited retrieval (AWS refuses
 * it), so its objects are asked for Standard, the fastest it has, instead of the whole request being refused. An
 * object already restored gets a request too (that extends its copy's life, as on AWS) and is reported as restored.
 * Returns what the operator should know: the tier actually used, and which objects needed no retrieval.
 */
async function requestRestores(local: LocalEventlake, keys: readonly string[], tier: RestoreTier, days: number): Promise<string[]> {
  const states = await local.archive.storage(keys);
  // Checked before any request, so a refused call starts nothing (the archive tier checks each call the same way).
  const hot = states.find((s) => s.storageClass === 'STANDARD');
  if (hot) throw new RestoreRequestError(`${hot.key} is not archived (STANDARD): read it directly, there is nothing to restore; leave it out of --keys`);
  const byTier = new Map<RestoreTier, string[]>();
  for (const s of states) {
    const used = effectiveTier(s.storageClass as ArchiveClass, tier);
    const group = byTier.get(used);
    if (group) group.push(s.key);
    else byTier.set(used, [s.key]);
  }
  for (const [used, group] of byTier) await local.archive.restore(group, { tier: used, days });
  const notes: string[] = [];
  const restored = states.filter((s) => s.restore === 'RESTORED');
  const lowered = states.filter((s) => s.restore !== 'RESTORED' && effectiveTier(s.storageClass as ArchiveClass, tier) !== tier);
  if (lowered.length > 0) notes.push(`Deep Archive offers no ${tier} retrieval: ${count(lowered.length)} in DEEP_ARCHIVE restored with Standard instead (up to 12 h)`);
  if (restored.length > 0) notes.push(`${count(restored.length)} already restored, readable now: no retrieval, the copy kept ${days} day(s) from now`);
  return notes;
}

const count = (n: number) => `${n} object${n === 1 ? '' : 's'}`;

async function waitUntilRestored(local: LocalEventlake, keys: readonly string[]): Promise<ObjectStorage[]> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    const states = await local.archive.storage(keys);
    if (states.every((s) => s.restore !== 'RESTORING')) return states;
    await new Promise((done) => setTimeout(done, delay));
  }
}

/** Registers `restore [--keys K… | --since T --until T] [--tier] [--days] [--wait]` and `restore status`. */
export function registerRestoreCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  const restore = program.command('restore').description('restore archived objects (Glacier / Deep Archive) so their events can be read');
  restore
    .command('request', { isDefault: true })
    .description('start restores (the default action of `restore`); Deep Archive offers no Expedited tier: its objects are restored with Standard')
    .option('--keys <key...>', 'object keys to restore')
    .option('--since <time>', 'restore the archived objects of events from this time (ISO-8601 or epoch seconds)')
    .option('--until <time>', '… up to this time (exclusive)')
    .option('--tier <tier>', `retrieval tier: ${TIERS.join(', ')} (Deep Archive uses Standard for Expedited)`, 'Standard')
    .option('--days <n>', 'days the restored copies stay readable', '1')
    .option('--wait', 'wait until every restore has completed')
    .option('--json', 'one JSON object per line')
    .action(async (options: RequestOptions, command: Command) => {
      const tier = tierOf(options.tier);
      const days = wholeNumber('--days', options.days, 1, 'days');
      const local = await open(globalOptions(command));
      try {
        const keys = await selectedKeys(local, options);
        if (keys === undefined) throw new InvalidArgumentError('restore', 'give --keys K… or --since T --until T');
        if (keys.length === 0) process.stderr.write('eventlake: no archived objects in that range\n');
        else for (const note of await requestRestores(local, keys, tier, days)) process.stderr.write(`eventlake: ${note}\n`);
        const states = options.wait ? await waitUntilRestored(local, keys) : await local.archive.storage(keys);
        printRows(states.map(row), options.json ?? false);
      } finally {
        await local.close();
      }
    });
  restore
    .command('status')
    .description('restore state of the given objects, or of every archived object with a restore')
    .option('--keys <key...>', 'these object keys')
    .option('--since <time>', 'the archived objects of events from this time')
    .option('--until <time>', '… up to this time (exclusive)')
    .option('--json', 'one JSON object per line')
    .action(async (options: Selection & { json?: boolean }, command: Command) => {
      const local = await open(readingOptions(command));
      try {
        const keys = await selectedKeys(local, options);
        const states = keys !== undefined
          ? await local.archive.storage(keys)
          : (await local.archive.storage((await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key)))
            .filter((s) => s.restore !== 'NONE');
        printRows(states.map(row), options.json ?? false);
      } finally {
        await local.close();
      }
    });
}
