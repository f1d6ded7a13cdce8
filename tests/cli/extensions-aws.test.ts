// `--extensions` on `--target aws`: the stack's adapters take no rules, so the CLI hands the module to what it builds
// itself: the registry (upcasters on read) and the balances projection that rebuild and verify fold with.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTarget } from '../../cli/target.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { tempDir } from '../support/tmp.ts';

const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const AWS = { region: 'eu-west-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };
const payment = { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: 'DE44-5001-0517', Amount: '1200.00', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00' } as DomainEvent;

/** A config file for the stack with the example's schemas and `extensions`. */
function awsConfig(extensions: string): string {
  const file = join(tempDir(), 'eventlake.json');
  writeFileSync(file, JSON.stringify({ target: 'aws', ...AWS, schemaFolders: [join(EXAMPLE, 'schemas')], extensions }));
  return file;
}

const test = suite('eventlake --extensions on --target aws');

test('the balances projection rebuild and verify use folds the module\'s rule', async () => {
  const rt = await openTarget({ config: awsConfig(join(EXAMPLE, 'eventlake.extensions.ts')), dataDir: tempDir(), schemaFolders: [] }, {});
  try {
    const balances = rt.projections.find((p) => p.name === 'balances')!;
    assert.is(balances.handles(payment), true);
    assert.equal(balances.decide(payment, new Map()).counters, [{ key: 'DE44-5001-0517', delta: -120_000n }]);
  } finally {
    await rt.close();
  }
});

test('the registry the runtime reads with has the module\'s upcasters', async () => {
  const dir = tempDir();
  const module = join(dir, 'ext.ts');
  writeFileSync(module, "export const upcasters = [{ type: 'outgoing_payment', fromVersion: 1, upcast: (e: object) => e }];\n");
  const schemas = join(dir, 'schemas');
  cpSync(join(EXAMPLE, 'schemas'), schemas, { recursive: true });
  const v2 = readFileSync(join(schemas, 'outgoing_payment.v1.json'), 'utf8').replace('"const": 1', '"const": 2').replace('/v1.json', '/v2.json');
  writeFileSync(join(schemas, 'outgoing_payment.v2.json'), v2);
  const rt = await openTarget({ target: 'aws', config: awsConfig(module), dataDir: tempDir(), schemaFolders: [schemas] }, {});
  try {
    assert.is(rt.registry.hasUpcaster('outgoing_payment', 1), true);
  } finally {
    await rt.close();
  }
});

test.run();
