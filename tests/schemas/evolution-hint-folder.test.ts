// SCHEMA_EVOLUTION names `schemas check` with the folder of the breaking schema, which it knows, instead of DIR.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaEvolutionError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { parcelReturned } from './evolution-fixture.ts';

const test = suite('SCHEMA_EVOLUTION hint');

test('the refusal names schemas check with the folder of the breaking schema', () => {
  const { dir } = parcelReturned('required');
  try {
    SchemaRegistry.load({ folders: [dir] }).assertEvolvable();
    assert.unreachable('evolvable');
  } catch (error) {
    assert.instance(error, SchemaEvolutionError);
    assert.match((error as Error).message, `\`eventlake schemas check ${dir}\` lists the same`);
  }
});

test.run();
