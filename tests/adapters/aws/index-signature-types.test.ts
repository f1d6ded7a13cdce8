// What a caller of `eventlake/aws` names when writing a call (a config object, an option, a callback, a result) is
// exported by name from the entry too: a type declared under adapters/aws and used in the signature of an export
// cannot be imported from anywhere else (deep imports are refused by the "exports" map).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredTypes, namedTypes, unexported } from '../../support/entry-signature-types.ts';

const AWS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../adapters/aws');
const ENTRY = join(AWS, 'index.ts');

const test = suite('eventlake/aws: the types its exports name');

test('every type declared under adapters/aws that an export of eventlake/aws names in its signature is exported by name too', () => {
  const named = namedTypes(ENTRY, declaredTypes([AWS]), { typeExports: true, transitive: true });
  // The scan reads functions' parameters and constructors' options: else it would pass by finding nothing.
  assert.ok(named.some((n) => n.type === 'AwsOpenConfig' && n.by === 'openAwsEventlake') && named.some((n) => n.type === 'DynamoDbIdentityClaimsOptions'));
  assert.equal(unexported(named, [ENTRY]), []);
});

test.run();
