// GENERATED from schemas/builtin by scripts/generate-types.ts: do not edit.
// Regenerate: node --import tsx scripts/generate-types.ts schemas/builtin --out domain/bank-events.generated.ts

/**
 * Cash deposit, SchemaVersion 1.
 * Cash paid into an account at an ATM or a teller; credits TargetAccount. Verified is always false (see verify_cash_deposit).
 */
export type CashDepositV1 = {
  readonly EventType: 'cash_deposit';
  readonly SchemaVersion: 1;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly TargetAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** "ATM" or "Teller" */
  readonly LocationType: 'ATM' | 'Teller';
  /** free text of at most 140 characters */
  readonly Reference?: string;
  readonly Verified: false;
  /** an object mapping denominations ("100-euro-bills", "2-euro-coins", "20-cents") to positive counts that add up to Amount */
  readonly Currency: {
    readonly [key: string]: number;
  };
};

/** cash_deposit at any of its versions, as the log may hold it. */
export type CashDeposit = CashDepositV1;
/** cash_deposit at its latest version, as `registry.upcast` returns it. */
export type CashDepositLatest = CashDepositV1;

/**
 * Cash withdrawal, SchemaVersion 1.
 * Cash taken from an account at an ATM or a teller; debits SourceAccount.
 */
export type CashWithdrawalV1 = {
  readonly EventType: 'cash_withdrawal';
  readonly SchemaVersion: 1;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly SourceAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** "ATM" or "Teller" */
  readonly LocationType: 'ATM' | 'Teller';
  /** free text of at most 140 characters */
  readonly Reference?: string;
  /** an object mapping denominations ("100-euro-bills", "2-euro-coins", "20-cents") to positive counts that add up to Amount */
  readonly Currency: {
    readonly [key: string]: number;
  };
};

/**
 * Cash withdrawal, SchemaVersion 2.
 * Cash taken from an account at an ATM or a teller; debits SourceAccount. v2 adds Channel; v1 events are upcast on read with Channel derived from LocationType (ATM -> ATM, Teller -> BRANCH).
 */
export type CashWithdrawalV2 = {
  readonly EventType: 'cash_withdrawal';
  readonly SchemaVersion: 2;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly SourceAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** "ATM" or "Teller" */
  readonly LocationType: 'ATM' | 'Teller';
  /** where the cash left the bank: "ATM", "BRANCH" (a teller at a branch) or "UNKNOWN" (the producer does not know) */
  readonly Channel: 'ATM' | 'BRANCH' | 'UNKNOWN';
  /** free text of at most 140 characters */
  readonly Reference?: string;
  /** an object mapping denominations ("100-euro-bills", "2-euro-coins", "20-cents") to positive counts that add up to Amount */
  readonly Currency: {
    readonly [key: string]: number;
  };
};

/** cash_withdrawal at any of its versions, as the log may hold it. */
export type CashWithdrawal = CashWithdrawalV1 | CashWithdrawalV2;
/** cash_withdrawal at its latest version, as `registry.upcast` returns it. */
export type CashWithdrawalLatest = CashWithdrawalV2;

/**
 * Incoming payment, SchemaVersion 1.
 * A payment from another institution (a salary, say); credits TargetAccount. The seed listed SourceAccount twice: the credited account is TargetAccount, the remote one SourceAccount.
 */
export type IncomingPaymentV1 = {
  readonly EventType: 'incoming_payment';
  readonly SchemaVersion: 1;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly TargetAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** the paying institution's name, 1-140 characters */
  readonly SourceInstitution: string;
  /** the remote account number, 4-34 letters, digits, spaces or '-' */
  readonly SourceAccount: string;
  /** free text of at most 140 characters */
  readonly Reference?: string;
};

/** incoming_payment at any of its versions, as the log may hold it. */
export type IncomingPayment = IncomingPaymentV1;
/** incoming_payment at its latest version, as `registry.upcast` returns it. */
export type IncomingPaymentLatest = IncomingPaymentV1;

/**
 * Inter-account transfer, SchemaVersion 1.
 * Money moved from SourceAccount to a different TargetAccount.
 */
export type InterAccountTransferV1 = {
  readonly EventType: 'inter_account_transfer';
  readonly SchemaVersion: 1;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly SourceAccount: string;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly TargetAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** free text of at most 140 characters */
  readonly Reference?: string;
};

/** inter_account_transfer at any of its versions, as the log may hold it. */
export type InterAccountTransfer = InterAccountTransferV1;
/** inter_account_transfer at its latest version, as `registry.upcast` returns it. */
export type InterAccountTransferLatest = InterAccountTransferV1;

/**
 * Verify cash deposit, SchemaVersion 1.
 * An employee's count of a cash deposit; carries the same RequestId as the deposit, and its Amount replaces the deposit's.
 */
export type VerifyCashDepositV1 = {
  readonly EventType: 'verify_cash_deposit';
  readonly SchemaVersion: 1;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** an account number: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly TargetAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** "ATM" or "Teller" */
  readonly LocationType: 'ATM' | 'Teller';
  /** free text of at most 140 characters */
  readonly Reference?: string;
  readonly Verified: true;
  /** an object mapping denominations ("100-euro-bills", "2-euro-coins", "20-cents") to positive counts that add up to Amount */
  readonly VerifiedCurrency: {
    readonly [key: string]: number;
  };
  /** the employee id, 1-32 letters, digits or '-' */
  readonly VerifiedByEmployeeId: string;
  /** free text of at most 1000 characters */
  readonly FinalFinding?: string;
};

/** verify_cash_deposit at any of its versions, as the log may hold it. */
export type VerifyCashDeposit = VerifyCashDepositV1;
/** verify_cash_deposit at its latest version, as `registry.upcast` returns it. */
export type VerifyCashDepositLatest = VerifyCashDepositV1;

/** Each event type of schemas/builtin, by EventType, in all its versions. */
export type EventsByType = {
  cash_deposit: CashDeposit;
  cash_withdrawal: CashWithdrawal;
  incoming_payment: IncomingPayment;
  inter_account_transfer: InterAccountTransfer;
  verify_cash_deposit: VerifyCashDeposit;
};
