// The outgoing-payment folding rule (it debits the paying account) and a balances projection that knows it.

import { createBalancesProjection } from '../../domain/balances.ts';
import type { BalanceRule } from '../../domain/balances.ts';
import { parseAmount } from '../../domain/money.ts';
import type { Projection } from '../../domain/projection.ts';
import type { OutgoingPayment } from './types.generated.ts';

/**
 * How an outgoing payment changes balances: SourceAccount goes down by Amount (in cents). The remote TargetAccount is
 * at another bank, so it has no balance here. Events reach the rule only after their schema accepted them, which is
 * why the cast to the generated type is safe.
 *
 * @example
 * const balances = createBalancesProjection({ outgoing_payment: outgoingPaymentRule });
 */
export const outgoingPaymentRule: BalanceRule = {
  decide: (event) => {
    const payment = event as OutgoingPayment;
    return { counters: [{ key: payment.SourceAccount, delta: -parseAmount(payment.Amount) }] };
  },
};

/** The built-in balances projection plus outgoing payments; every other type keeps its built-in rule. */
export const balancesWithOutgoingPayments: Projection = createBalancesProjection({ outgoing_payment: outgoingPaymentRule });
