// The account_fee_charged type of the CLI schema-evolution tests: a user schema folder at v1 and v2 (FeeKind renamed
// FeeType, Waivable added) with an extensions module folding it into balances and upcasting v1 to v2.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.ts';

const INDEX = new URL('../../index.ts', import.meta.url).href;

/** A folder with account_fee_charged v1 and v2, and a module whose upcaster (v1 → v2) is the source `upcast`. */
export function feeType(upcast: string): { schemas: string; module: string } {
  const dir = tempDir();
  const schemas = join(dir, 'schemas');
  mkdirSync(schemas);
  const schema = (version: number, fields: Record<string, unknown>) => JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
    properties: {
      EventType: { const: 'account_fee_charged' }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' },
      EventTimeStamp: { type: 'integer', minimum: 0 }, Account: { type: 'string', pattern: '^[A-Z0-9-]{4,34}$' },
      Amount: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})\\.[0-9]{2}$' }, ...fields,
    },
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Account', 'Amount', ...Object.keys(fields)],
    additionalProperties: false,
  });
  writeFileSync(join(schemas, 'account_fee_charged.v1.json'), schema(1, { FeeKind: { enum: ['MONTHLY', 'OVERDRAFT'] } }));
  writeFileSync(join(schemas, 'account_fee_charged.v2.json'), schema(2, { FeeType: { enum: ['MONTHLY', 'OVERDRAFT'] }, Waivable: { type: 'boolean' } }));
  const module = join(dir, 'eventlake.extensions.ts');
  writeFileSync(module, `import { defineExtensions, parseAmount } from '${INDEX}';
export const { balanceRules, upcasters } = defineExtensions({
  balanceRules: { account_fee_charged: { decide: (e) => ({ counters: [{ key: String(e.Account), delta: -parseAmount(String(e.Amount)) }] }) } },
  upcasters: [{ type: 'account_fee_charged', fromVersion: 1, upcast: ${upcast} }],
});
`);
  return { schemas, module };
}

export const RENAMES = '({ FeeKind, ...rest }) => ({ ...rest, FeeType: FeeKind, Waivable: FeeKind === \'MONTHLY\' })';
export const fee = (version: 1 | 2, at: number, amount: string) => JSON.stringify({
  EventType: 'account_fee_charged', SchemaVersion: version, EventTimeStamp: at, Account: 'DE44-5001-0517', Amount: amount,
  ...(version === 1 ? { FeeKind: 'MONTHLY' } : { FeeType: 'OVERDRAFT', Waivable: false }),
});

export function eventsFile(lines: string[]): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
