import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BankEvent, CashWithdrawalLatest, CashWithdrawalV1 } from '../../domain/bank-events.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { BUILTIN_SCHEMAS_DIR } from '../../schemas/registry.ts';
import { generateTypes, typeOf } from '../../scripts/generate-types.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GENERATED = join(ROOT, 'domain/bank-events.generated.ts');
const EXAMPLE_SCHEMAS = join(ROOT, 'examples/outgoing-payment/schemas');
const EXAMPLE_TYPES = join(ROOT, 'examples/outgoing-payment/types.generated.ts');

// Compile-time half of this file (tsc checks it): the generated types describe real events and are DomainEvents.
const withdrawal = {
  EventType: 'cash_withdrawal', SchemaVersion: 1, RequestId: '9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d', EventTimeStamp: 1234567990,
  SourceAccount: 'DE44-5001-0517', Amount: '200.00', LocationType: 'ATM', Currency: { '50-euro-bills': 4 },
} as const satisfies CashWithdrawalV1;
const upcast: CashWithdrawalLatest = { ...withdrawal, SchemaVersion: 2, Channel: 'ATM' };
const asStored: DomainEvent = upcast satisfies BankEvent;

const drift = suite('generated types');

drift('the checked-in types of the built-in events match their schemas', () => {
  assert.fixture(readFileSync(GENERATED, 'utf8'), generateTypes(BUILTIN_SCHEMAS_DIR, GENERATED, ROOT));
});

drift('the checked-in types of the outgoing-payment example match its schema', () => {
  assert.fixture(readFileSync(EXAMPLE_TYPES, 'utf8'), generateTypes(EXAMPLE_SCHEMAS, EXAMPLE_TYPES, ROOT));
});

drift('a schema change makes the generated types differ (the drift test can fail)', () => {
  const dir = tempDir();
  for (const f of readdirSync(BUILTIN_SCHEMAS_DIR)) copyFileSync(join(BUILTIN_SCHEMAS_DIR, f), join(dir, f));
  const file = join(dir, 'incoming_payment.v1.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
  schema.properties['Purpose'] = { type: 'string' };
  writeFileSync(file, JSON.stringify(schema));
  assert.match(generateTypes(dir, GENERATED, ROOT), 'readonly Purpose?: string;');
});

drift('the script\'s --check mode agrees that the checked-in file is current', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-types.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(asStored.EventType, 'cash_withdrawal');
});

drift.run();

const mapping = suite('schema → type mapping');

mapping('consts and enums become literal types', () => {
  assert.is(typeOf({ const: 'x' }), "'x'");
  assert.is(typeOf({ enum: ['A', "it's", 2] }), "'A' | 'it\\'s' | 2");
});

mapping('fields outside `required` are optional, and a closed object has no index signature', () => {
  assert.is(typeOf({ type: 'object', properties: { A: { type: 'integer' }, B: { type: 'string' } }, required: ['A'], additionalProperties: false }),
    '{\n  readonly A: number;\n  readonly B?: string;\n}');
});

mapping('an open object admits other fields as unknown; a map keeps its value type', () => {
  assert.is(typeOf({ type: 'object', properties: { A: { type: 'boolean' } } }), '{\n  readonly A?: boolean;\n  readonly [key: string]: unknown;\n}');
  assert.is(typeOf({ type: 'object', additionalProperties: { type: 'integer' } }), '{\n  readonly [key: string]: number;\n}');
});

mapping('arrays, unions of types and unknown keywords', () => {
  assert.is(typeOf({ type: 'array', items: { type: 'string' } }), 'readonly (string)[]');
  assert.is(typeOf({ type: ['string', 'null'] }), 'string | null');
  assert.is(typeOf({ anyOf: [{ type: 'string' }, { type: 'number' }] }), '(string) | (number)');
  assert.is(typeOf({ not: {} }), 'unknown');
});

mapping.run();
