// The CLI's hint for a column a query does not know: a field of the loaded schemas left out of `events` is named with
// why; only a name no loaded schema has gets the hint about loading its folder with --schemas.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cliMessage } from '../../cli/error-hint.ts';
import { QueryFailedError } from '../../domain/errors.ts';

const notFound = (name: string) => new QueryFailedError(`DuckDB query failed: Binder Error: Referenced column "${name}" not found in FROM clause!`);
const SKIPPED = [{ field: 'Rate', why: 'a_event v1 declares no string, integer, boolean or object' }, { field: 'day', why: 'is the name of a partition column' }];

const test = suite('cliMessage: unknown column');

test('a field the loaded schemas left out is named with the reason, and no --schemas hint', () => {
  const message = cliMessage(notFound('rate'), SKIPPED);
  assert.match(message, '"rate" is not a column of events: the loaded schemas have it, but a_event v1 declares no string, integer, boolean or object, so SQL cannot read it as a column');
  assert.not.match(message, '--schemas');
});

test('a reason about the name reads with the field\'s name', () => {
  assert.match(cliMessage(notFound('day'), SKIPPED), 'but day is the name of a partition column');
});

test('a name no loaded schema has gets the --schemas hint', () => {
  assert.match(cliMessage(notFound('FeeCents'), SKIPPED), 'is the folder of the schema with FeeCents loaded with --schemas DIR');
});

test.run();
