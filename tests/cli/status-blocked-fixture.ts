// A data dir whose dispatch is blocked: three deposits dispatched, then an account_fee_charged v1 event (journaled
// straight into the log, as an older writer would have) whose v1 → v2 upcaster throws, so the catch-up stops before it.

import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import type { LocalEventlakeOptions } from '../../projections/runtime.ts';
import type { UpcasterStep } from '../../schemas/upcasters.ts';
import type { BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { DispatchBlockedError } from '../../domain/projection-errors.ts';
import { rejects } from '../support/async.ts';
import { decorateWith } from '../support/faults.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { fee, feeType } from './schema-evolution-fixture.ts';

export const UPCASTER_FAULT = 'FeeKind has no FeeType';
const THROWS = `() => { throw new Error('${UPCASTER_FAULT}'); }`;
const FEE_REQUEST = '00000000-0000-4000-8000-00000000fee1';
/** The id of the event the upcaster refuses (position 4). */
export const BLOCKED_ID = `account_fee_charged_${FEE_REQUEST}`;

/** Open `dataDir` as the CLI's `--schemas schemas --extensions module` would (the same upcaster, so the same rules). */
export async function openBlocked(dataDir: string, schemas: string, module: string, decorate?: LocalEventlakeOptions['decorate']): Promise<LocalEventlake> {
  const { upcasters, balanceRules } = await import(module) as { upcasters: UpcasterStep[]; balanceRules: Record<string, BalanceRule> };
  return openLocalEventlake({ dataDir, schemaFolders: [schemas], upcasters, balanceRules, onCatchUpError: () => {}, ...(decorate ? { decorate } : {}) });
}

/**
 * The blocked data dir, and the `--schemas`/`--extensions` arguments that open it with the throwing upcaster.
 * `neverDrained`: the dispatch checkpoint's writes failed, so it stayed at 0 and no drain has met the refused event:
 * it sits behind three events that upcast.
 */
export async function blockedLake(options: { neverDrained?: boolean } = {}): Promise<{ dataDir: string; schemas: string; module: string; args: string[] }> {
  const { schemas, module } = feeType(THROWS);
  const dataDir = tempDir();
  const local = await openBlocked(dataDir, schemas, module, options.neverDrained ? decorateWith({ checkpoints: { method: 'set', failFirst: 2 } }) : undefined);
  try {
    await local.lake.emit([1, 2, 3].map((i) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })));
    await local.log.append([{ ...JSON.parse(fee(1, 1_714_000_000, '5.00')), RequestId: FEE_REQUEST } as DomainEvent]);
    await rejects(() => local.catchUp(), options.neverDrained ? Error : DispatchBlockedError);
  } finally {
    await local.close();
  }
  return { dataDir, schemas, module, args: ['--data-dir', dataDir, '--schemas', schemas, '--extensions', module] };
}
