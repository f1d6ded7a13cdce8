// The built-in bank account events as TypeScript types, generated from their JSON Schemas in schemas/builtin/.
//
// The types themselves are in bank-events.generated.ts (scripts/generate-types.ts writes it; a test fails when it
// drifts from the schemas). This module names them for the rest of the code.

import type { CashDepositV1, CashWithdrawal, CashWithdrawalLatest } from './bank-events.generated.ts';
import type { CashDeposit, IncomingPayment, InterAccountTransfer, VerifyCashDeposit } from './bank-events.generated.ts';

export type {
  CashDeposit,
  CashDepositV1,
  CashWithdrawal,
  CashWithdrawalLatest,
  CashWithdrawalV1,
  CashWithdrawalV2,
  EventsByType as BankEventsByType,
  IncomingPayment,
  IncomingPaymentV1,
  InterAccountTransfer,
  InterAccountTransferV1,
  VerifyCashDeposit,
  VerifyCashDepositV1,
} from './bank-events.generated.ts';

/** Denomination key → positive count, e.g. `{ "100-euro-bills": 1, "20-cents": 2 }`. */
export type CurrencyBreakdown = CashDepositV1['Currency'];
/** Where cash changed hands, in every version: `'ATM' | 'Teller'`. */
export type LocationType = CashDepositV1['LocationType'];
/** Where a withdrawal's cash left the bank (cash_withdrawal v2). */
export type WithdrawalChannel = CashWithdrawalLatest['Channel'];

/** Any built-in bank event, at any of its versions (what the log may hold; `registry.upcast` lifts it to the latest). */
export type BankEvent = CashDeposit | VerifyCashDeposit | CashWithdrawal | IncomingPayment | InterAccountTransfer;

export const BANK_EVENT_TYPES = [
  'cash_deposit',
  'verify_cash_deposit',
  'cash_withdrawal',
  'incoming_payment',
  'inter_account_transfer',
] as const;
