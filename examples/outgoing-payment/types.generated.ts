// GENERATED from examples/outgoing-payment/schemas by scripts/generate-types.ts: do not edit.
// Regenerate: node --import tsx scripts/generate-types.ts examples/outgoing-payment/schemas --out examples/outgoing-payment/types.generated.ts

/**
 * Outgoing payment, SchemaVersion 1.
 * A payment to another institution (a bill, say); debits SourceAccount. The mirror of incoming_payment: the remote side is TargetInstitution and TargetAccount.
 */
export type OutgoingPaymentV1 = {
  readonly EventType: 'outgoing_payment';
  readonly SchemaVersion: 1;
  /** a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f" */
  readonly RequestId: string;
  /** epoch seconds (UTC) between 0 and 4102444800 (year 2100) */
  readonly EventTimeStamp: number;
  /** the debited account: 4-34 characters of A-Z, 0-9 and '-', such as "DE44-5001-0517" */
  readonly SourceAccount: string;
  /** a positive decimal string with exactly two decimals, such as "123.45" */
  readonly Amount: string;
  /** the receiving institution's name, 1-140 characters */
  readonly TargetInstitution: string;
  /** the remote account number, 4-34 letters, digits, spaces or '-' */
  readonly TargetAccount: string;
  /** free text of at most 140 characters */
  readonly Reference?: string;
};

/** outgoing_payment at any of its versions, as the log may hold it. */
export type OutgoingPayment = OutgoingPaymentV1;
/** outgoing_payment at its latest version, as `registry.upcast` returns it. */
export type OutgoingPaymentLatest = OutgoingPaymentV1;

/** Each event type of examples/outgoing-payment/schemas, by EventType, in all its versions. */
export type EventsByType = {
  outgoing_payment: OutgoingPayment;
};
