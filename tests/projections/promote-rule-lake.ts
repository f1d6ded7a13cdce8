// A local lake for promotions whose top-up meets a projection rule that throws: balances rebuilt into generation 2 and
// verified, then two payments logged while it is promoted, the first of which the rule refuses once told to.

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/index.ts';
import type { BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { parseAmount } from '../../domain/money.ts';
import { RebuildCoordinator } from '../../projections/rebuild/coordinator.ts';
import type { VerifyReport } from '../../projections/rebuild/verify.ts';
import { tempDir } from '../support/tmp.ts';

export const SCHEMAS = resolve(fileURLToPath(new URL('../../examples/outgoing-payment/schemas', import.meta.url)));
export const ACCOUNT = 'DE44-5001-0517';
export const UNLUCKY = 'outgoing_payment_7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
/** The balance once every event is folded: 2500.00 - 200.00 - 13.13 - 50.00. */
export const FULL_BALANCE = '2236.87';

/** Whether the rule refuses 13.13 (a test "fixes" it by turning this off: the rule's text, hence its fingerprint, stays). */
export const rule = { refusing: false };
const unluckyRule: BalanceRule = {
  decide: (e) => {
    if (rule.refusing && e['Amount'] === '13.13') throw new Error('unlucky amount 13.13 refused by the rule');
    return { counters: [{ key: String(e['SourceAccount']), delta: -parseAmount(String(e['Amount'])) }] };
  },
};

const before: DomainEvent[] = [
  { EventType: 'incoming_payment', SchemaVersion: 1, RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', EventTimeStamp: 1714000000, TargetAccount: ACCOUNT, Amount: '2500.00', SourceInstitution: 'Employer Bank', SourceAccount: 'EMP-0001', Reference: 'salary' },
  { EventType: 'cash_withdrawal', SchemaVersion: 1, RequestId: '9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d', EventTimeStamp: 1714010800, SourceAccount: ACCOUNT, Amount: '200.00', LocationType: 'ATM', Currency: { '50-euro-bills': 4 } },
];

/** Logged while generation 2 is promoted: the payment the rule refuses, then one after it that it accepts. */
export const during = (): DomainEvent[] => [
  { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714020000, SourceAccount: ACCOUNT, Amount: '13.13', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' },
  { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b', EventTimeStamp: 1714030000, SourceAccount: ACCOUNT, Amount: '50.00', TargetInstitution: 'Power Bank', TargetAccount: 'NL02-ABNA-0123-4567-89', Reference: 'power May' },
];

export interface PromoteRuleLake {
  readonly dataDir: string;
  readonly local: LocalEventlake;
  readonly coordinator: RebuildCoordinator;
  /** The passing verification of generation 2, rebuilt from nothing before `during` was logged. */
  readonly check: VerifyReport;
}

/**
 * Runs `body` on a lake whose generation 2 is rebuilt and verified while the rule accepts everything; its coordinator
 * runs `beforeSwitch` (if any) right before a promotion switches reads. Closes the lake after.
 */
export async function withPromoteRuleLake(body: (lake: PromoteRuleLake) => Promise<void>, beforeSwitch?: (local: LocalEventlake) => Promise<void>): Promise<void> {
  rule.refusing = false;
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS], balanceRules: { outgoing_payment: unluckyRule } });
  try {
    await local.lake.emit(before);
    const coordinator = new RebuildCoordinator(beforeSwitch ? switchingAfter(local, beforeSwitch) : local, local.projections);
    const built = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    if (built.generation !== 2) throw new Error(`expected generation 2, got ${built.generation}`);
    await body({ dataDir, local, coordinator, check: await coordinator.verify('balances', 2, 'log') });
  } finally {
    await local.close();
  }
}

/** `local` whose store runs `hook` before each switch of the live generation. */
function switchingAfter(local: LocalEventlake, hook: (local: LocalEventlake) => Promise<void>): LocalEventlake {
  const store = local.store;
  const promote: typeof store.promote = async (name, generation) => {
    await hook(local);
    return store.promote(name, generation);
  };
  return Object.create(local, { store: { value: Object.assign(Object.create(store), { promote }) } }) as LocalEventlake;
}
