// A type's versions may come from two folders: the built-in cash_withdrawal v1 and v2, and a user folder adding v3.
// The registry checks the step between them as one chain, and upcasts a built-in v1 through both folders' upcasters.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaEvolutionError, UpcastError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

/** A folder with cash_withdrawal v3: v2 plus a required Terminal. */
function userV3(): { dir: string; file: string } {
  const v2 = JSON.parse(readFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_withdrawal.v2.json'), 'utf8')) as Record<string, unknown> & { properties: Record<string, unknown>; required: string[] };
  const { $id: _id, ...rest } = v2;
  const v3 = { ...rest, properties: { ...v2.properties, SchemaVersion: { const: 3 }, Terminal: { type: 'string' } }, required: [...v2.required, 'Terminal'] };
  const dir = tempDir();
  const file = join(dir, 'cash_withdrawal.v3.json');
  writeFileSync(file, JSON.stringify(v3));
  return { dir, file };
}

const now = () => 1_700_000_000;
const v1 = SAMPLES['cash_withdrawal']! as DomainEvent;
const test = suite('schema evolution across folders');

test('a user v3 that breaks the built-in v2 is refused naming the user\'s file and the upcaster to add', () => {
  const { dir, file } = userV3();
  assert.throws(() => SchemaRegistry.load({ folders: [dir], now }).assertEvolvable(), (e: unknown) =>
    e instanceof SchemaEvolutionError && e.findings.length === 1 && e.findings[0]!.file === file && e.message.includes("registry.addUpcaster('cash_withdrawal', 2, fn)"));
});

test('a built-in v1 event is lifted by the built-in v1 → v2 and the user\'s v2 → v3 upcaster', () => {
  const registry = SchemaRegistry.load({ folders: [userV3().dir], now, upcasters: [{ type: 'cash_withdrawal', fromVersion: 2, upcast: (e) => ({ ...e, Terminal: 'UNKNOWN' }) }] });
  const out = registry.upcast(registry.validate(v1));
  assert.equal([out.SchemaVersion, out['Channel'], out['Terminal']], [3, 'ATM', 'UNKNOWN']);
});

test('a built-in v1 event that the user\'s v2 → v3 upcaster cannot lift is refused at validate, before it is stored', () => {
  const registry = SchemaRegistry.load({ folders: [userV3().dir], now, upcasters: [{ type: 'cash_withdrawal', fromVersion: 2, upcast: (e) => e }] });
  assert.throws(() => registry.validate(v1), (e: unknown) => e instanceof UpcastError);
});

test.run();
