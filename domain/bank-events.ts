// The built-in bank account events, as TypeScript types. Their JSON Schemas live in schemas/builtin/.

import type { EventEnvelope } from './event.ts';

/** Denomination key → positive count, e.g. `{ "100-euro-bills": 1, "20-cents": 2 }`. */
export type CurrencyBreakdown = { readonly [denomination: string]: number };
export type LocationType = 'ATM' | 'Teller';

export interface CashDeposit extends EventEnvelope {
  readonly EventType: 'cash_deposit';
  readonly TargetAccount: string;
  readonly Amount: string;
  readonly LocationType: LocationType;
  readonly Reference?: string;
  readonly Verified: false;
  readonly Currency: CurrencyBreakdown;
}

export interface VerifyCashDeposit extends EventEnvelope {
  readonly EventType: 'verify_cash_deposit';
  readonly TargetAccount: string;
  readonly Amount: string;
  readonly LocationType: LocationType;
  readonly Reference?: string;
  readonly Verified: true;
  readonly VerifiedCurrency: CurrencyBreakdown;
  readonly VerifiedByEmployeeId: string;
  readonly FinalFinding?: string;
}

export interface CashWithdrawal extends EventEnvelope {
  readonly EventType: 'cash_withdrawal';
  readonly SourceAccount: string;
  readonly Amount: string;
  readonly LocationType: LocationType;
  readonly Reference?: string;
  readonly Currency: CurrencyBreakdown;
  /** Added in SchemaVersion 2; v1 events are upcast with `Channel: 'UNKNOWN'`. */
  readonly Channel?: string;
}

export interface IncomingPayment extends EventEnvelope {
  readonly EventType: 'incoming_payment';
  /** The credited account (the seed listed SourceAccount twice; this is the first one). */
  readonly TargetAccount: string;
  readonly Amount: string;
  readonly SourceInstitution: string;
  /** The remote account at SourceInstitution. */
  readonly SourceAccount: string;
  readonly Reference?: string;
}

export interface InterAccountTransfer extends EventEnvelope {
  readonly EventType: 'inter_account_transfer';
  readonly SourceAccount: string;
  readonly TargetAccount: string;
  readonly Amount: string;
  readonly Reference?: string;
}

export type BankEvent = CashDeposit | VerifyCashDeposit | CashWithdrawal | IncomingPayment | InterAccountTransfer;

export const BANK_EVENT_TYPES = [
  'cash_deposit',
  'verify_cash_deposit',
  'cash_withdrawal',
  'incoming_payment',
  'inter_account_transfer',
] as const;
