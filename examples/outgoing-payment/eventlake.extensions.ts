// The example's extensions module: what the CLI loads (`--extensions`) so its commands fold outgoing payments too.

import { defineExtensions } from '../../index.ts';
import { outgoingPaymentRule } from './balance-rule.ts';

/** Balances count outgoing payments; `eventlake --extensions examples/outgoing-payment/eventlake.extensions.ts …`. */
export const { balanceRules } = defineExtensions({ balanceRules: { outgoing_payment: outgoingPaymentRule } });
