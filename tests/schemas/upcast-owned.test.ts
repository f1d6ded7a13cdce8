// registry.upcast.owned: the upcast for an event its caller hands over (replay's reader, for a line it just parsed),
// which the first upcaster builds on in place instead of on a copy, with the same checks as registry.upcast.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError, UpcastError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';

const stored = SAMPLES['cash_withdrawal']!;
const parsed = (): DomainEvent => JSON.parse(JSON.stringify(stored)) as DomainEvent;

/** The built-in schemas with `upcast` as the only cash_withdrawal v1 → v2 upcaster (a checked, user one). */
function withUpcaster(upcast: (event: DomainEvent) => DomainEvent): SchemaRegistry {
  const registry = SchemaRegistry.load({ withoutBuiltins: true, folders: [BUILTIN_SCHEMAS_DIR] });
  registry.addUpcaster('cash_withdrawal', 1, upcast);
  return registry;
}

const test = suite('registry.upcast.owned');

test('a handed-over event is lifted in place, not copied', () => {
  const event = parsed();
  const lifted = SchemaRegistry.load().upcast.owned(event);
  assert.is(lifted, event);
  assert.equal([lifted.SchemaVersion, lifted['Channel']], [2, 'ATM']);
});

test('an upcaster that changes the identity of a handed-over event in place is still refused', () => {
  const registry = withUpcaster((e) => Object.assign(e, { RequestId: 'other', Channel: 'ATM' }));
  assert.throws(() => registry.upcast.owned(parsed()), (e: unknown) => e instanceof InvalidArgumentError && e.message.includes('changed RequestId'));
});

test('an upcaster failing on a handed-over event it changed is reported under the stored identity', () => {
  const registry = withUpcaster((e) => { Object.assign(e, { RequestId: 'other' }); throw new Error('broken'); });
  assert.throws(() => registry.upcast.owned(parsed()), (e: unknown) => e instanceof UpcastError && e.message.includes(stored.RequestId));
});

test.run();
