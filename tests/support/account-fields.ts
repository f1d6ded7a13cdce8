// Events of the account-fields fixture (tests/schemas/fixtures/account-fields): user types that name their own
// account fields with x-eventlake-accounts, and the registry that loads them.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { SchemaAccountFieldsError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from './tmp.ts';

/** card_payment v1 declares ["CardAccount"] (its TargetAccount, the merchant's, is not one); fee_charged v1 ["Account", "WaivedFor"]. */
export const ACCOUNT_FIELDS_SCHEMAS = join(import.meta.dirname, '../schemas/fixtures/account-fields');

type Schema = Record<string, unknown>;

/** A fresh folder holding card_payment v1 without its top x-eventlake-accounts, changed by `change`. */
export function cardSchemaWith(change: (schema: Schema, properties: Record<string, Schema>) => void): string {
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8')) as Schema;
  delete schema['x-eventlake-accounts'];
  change(schema, schema['properties'] as Record<string, Schema>);
  const dir = tempDir();
  writeFileSync(join(dir, 'card_payment.v1.json'), JSON.stringify(schema));
  return dir;
}

export const accountFieldsRegistry = (): SchemaRegistry => SchemaRegistry.load({ folders: [ACCOUNT_FIELDS_SCHEMAS] });

/** The SchemaAccountFieldsError loading `folder` throws; fails the test when it loads, rethrows any other error. */
export function accountFieldsRefusal(folder: string): SchemaAccountFieldsError {
  try {
    SchemaRegistry.load({ folders: [folder] });
  } catch (error) {
    if (error instanceof SchemaAccountFieldsError) return error;
    throw error;
  }
  return assert.unreachable('the registry loaded the schemas') as never;
}

const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A card payment from `card` to the merchant account `merchant`. */
export const cardPayment = (n: number, at: number, card: string, merchant = 'SHOP-0001'): DomainEvent =>
  ({ EventType: 'card_payment', SchemaVersion: 1, RequestId: rid(n), EventTimeStamp: at, CardAccount: card, TargetAccount: merchant, Amount: '4.20' });

/** A fee on `account`, waived for `waivedFor` when given (the optional second account field). */
export const feeCharged = (n: number, at: number, account: string, waivedFor?: string): DomainEvent =>
  ({ EventType: 'fee_charged', SchemaVersion: 1, RequestId: rid(n), EventTimeStamp: at, Account: account, Amount: '1.00', ...(waivedFor ? { WaivedFor: waivedFor } : {}) });

/** A built-in transfer, whose accounts stay SourceAccount and TargetAccount. */
export const transfer = (n: number, at: number, source: string, target: string): DomainEvent =>
  ({ EventType: 'inter_account_transfer', SchemaVersion: 1, RequestId: rid(n), EventTimeStamp: at, SourceAccount: source, TargetAccount: target, Amount: '10.00', Reference: 'rent' });
