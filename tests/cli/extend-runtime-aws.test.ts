// On a target whose projections were built without the module's rules (--target aws), extendRuntime gives them to
// both projections that fold balance rules, balances and statement, so the statement adds up to the balances there too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extendRuntime, type LoadedExtensions } from '../../cli/load-extensions.ts';
import { balancesProjection } from '../../domain/balances.ts';
import type { Projection } from '../../domain/projection.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { statementProjection } from '../../projections/statement.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';

const mine: Projection = { ...balancesProjection, name: 'mine' };
// A rule for a built-in type, so the registry's check that each rule's type has a schema passes.
const loaded: LoadedExtensions = {
  source: { file: '/x/eventlake.extensions.ts', argument: '--extensions', where: 'given by the flag or EVENTLAKE_EXTENSIONS' },
  balanceRules: { cash_deposit: { decide: () => ({ counters: [] }) } },
  upcasters: [],
};

test('without folding here, the rules reach balances and statement; other projections stay as they were', async () => {
  const runtime = { registry: SchemaRegistry.load(), projections: [balancesProjection, statementProjection, mine], close: async () => {} } as unknown as EventlakeRuntime;
  const [balances, statement, other] = (await extendRuntime(runtime, loaded, false)).projections;
  assert.is.not(balances, balancesProjection);
  assert.is.not(statement, statementProjection, 'the statement folds the rules too');
  assert.is(other, mine);
});

test.run();
