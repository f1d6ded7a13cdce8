// `eventlake query --param` with a key that names a property of every JS object (__proto__, constructor, toString).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planQuery } from '../../cli/query-plan.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { bindQuery, QUERY_CATALOGUE, type CatalogueQuery } from '../../domain/query-catalogue.ts';
import { WHOLE_LOG } from '../../domain/query-params.ts';

const ODD = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

/** The error planning and binding `--named NAME --param KEY=x` end with. */
function refusal(key: string): InvalidArgumentError {
  try {
    const plan = planQuery(undefined, { named: 'account_history', param: [`${key}=x`, 'account=ACC-1'] });
    if (plan.kind !== 'named') throw new Error(`planned ${plan.kind}`);
    bindQuery(QUERY_CATALOGUE, plan.name, plan.params);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error(`--param ${key}=x was accepted`);
}

const test = suite('query --param with an Object property name');

for (const key of ODD) {
  test(`--param ${key}=x on a named query is refused as an unknown parameter, naming ${key}`, () => {
    const e = refusal(key);
    assert.is(e.argument, key);
    assert.match(e.message, /account_history has no such parameter; it takes/);
  });
}

for (const key of ODD) {
  test(`--param ${key}=x on a --since query is refused as --named only, with no flag to suggest`, () => {
    try {
      planQuery(undefined, { since: '2024-03-07', param: [`${key}=x`] });
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, InvalidArgumentError);
      assert.is((error as Error).message, '--param: applies to --named queries only; a --since query takes --until, --type and --account');
    }
  });
}

test('bindQuery binds a catalogue parameter named constructor', () => {
  const catalogue: Record<string, CatalogueQuery> = {
    odd: { name: 'odd', description: 'a parameter named like an Object property', params: [{ name: 'constructor', kind: 'text', required: true, description: 'any text' }], sql: 'SELECT ?',
      bind: (params) => ({ values: [String(params['constructor'])], range: WHOLE_LOG }) },
  };
  const params = Object.assign(Object.create(null) as Record<string, string>, { constructor: 'x' });
  assert.equal(bindQuery(catalogue, 'odd', params).values, ['x']);
});

test.run();
