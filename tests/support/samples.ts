// The seed's five samples, corrected into valid events, and a builder for variants.

import type { DomainEvent } from '../../domain/event.ts';

const RID = '3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f';

export const SAMPLES: Readonly<Record<string, DomainEvent>> = {
  cash_deposit: {
    EventType: 'cash_deposit', SchemaVersion: 1, RequestId: RID, EventTimeStamp: 1234567890,
    TargetAccount: 'DE44-5001-0517', Amount: '123.45', LocationType: 'ATM', Reference: 'Some Free Form Text', Verified: false,
    Currency: { '100-euro-bills': 1, '20-euro-bills': 1, '1-euro-bills': 3, '20-cents': 2, '5-cents': 1 },
  },
  verify_cash_deposit: {
    EventType: 'verify_cash_deposit', SchemaVersion: 1, RequestId: RID, EventTimeStamp: 1234571490,
    TargetAccount: 'DE44-5001-0517', Amount: '123.40', LocationType: 'ATM', Reference: 'Some Free Form Text', Verified: true,
    VerifiedCurrency: { '100-euro-bills': 1, '20-euro-bills': 1, '1-euro-bills': 3, '20-cents': 2 },
    VerifiedByEmployeeId: '1234567890',
    FinalFinding: '5 cents was from incorrect currency and rejected. The coins were returned to the customer.',
  },
  cash_withdrawal: {
    EventType: 'cash_withdrawal', SchemaVersion: 1, RequestId: '9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d', EventTimeStamp: 1234567990,
    SourceAccount: 'DE44-5001-0517', Amount: '200.00', LocationType: 'ATM', Reference: 'Some Free Form Text', Currency: { '50-euro-bills': 4 },
  },
  incoming_payment: {
    EventType: 'incoming_payment', SchemaVersion: 1, RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', EventTimeStamp: 1234568990,
    TargetAccount: 'DE44-5001-0517', Amount: '123.45', SourceInstitution: 'Source Bank', SourceAccount: 'Source Account Number', Reference: 'Some Free Form Text',
  },
  inter_account_transfer: {
    EventType: 'inter_account_transfer', SchemaVersion: 1, RequestId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', EventTimeStamp: 1234569990,
    SourceAccount: 'DE44-5001-0517', TargetAccount: 'NL91-ABNA-0417', Amount: '123.45', Reference: 'Some Free Form Text',
  },
};

/** A sample with some fields replaced (`undefined` removes a field). */
export function variant(type: string, changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...SAMPLES[type] };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}
