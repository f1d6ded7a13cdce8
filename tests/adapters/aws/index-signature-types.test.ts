// What a caller of `eventlake/aws` names when writing a call (a config object, an option, a callback, a result) is
// exported by name from the entry too: a type declared under adapters/aws and used in the signature of an export
// cannot be imported from anywhere else (deep imports are refused by the "exports" map).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const AWS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../adapters/aws');
const ENTRY = readFileSync(join(AWS, 'index.ts'), 'utf8');

const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

/** The entry's `export { … } from '…'` lists: every exported name, and the values with the file each comes from. */
function entryExports(): { names: Set<string>; values: { name: string; file: string }[] } {
  const names = new Set<string>();
  const values: { name: string; file: string }[] = [];
  for (const [, type, list, from] of withoutComments(ENTRY).matchAll(/export (type )?\{([^}]*)\} from '([^']+)'/g)) {
    for (const name of list!.split(',').map((n) => n.trim()).filter(Boolean)) {
      names.add(name);
      if (!type) values.push({ name, file: join(AWS, from!) });
    }
  }
  return { names, values };
}

/** Every type an adapters/aws module exports (`export interface` / `export type`). */
function awsTypes(dir = AWS): Set<string> {
  const out = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) awsTypes(path).forEach((t) => out.add(t));
    else if (entry.name.endsWith('.ts')) for (const [, name] of readFileSync(path, 'utf8').matchAll(/^export (?:interface|type) ([A-Z]\w*)/gm)) out.add(name!);
  }
  return out;
}

/** What a caller meets of an export: a function's parameters and result, a class's public members, an interface's body. */
function signatureOf(name: string, file: string): string {
  const text = withoutComments(readFileSync(file, 'utf8'));
  const start = text.search(new RegExp(`^export (?:async )?(?:function|class|interface) ${name}\\b`, 'm'));
  if (start < 0) return '';
  const declaration = text.slice(start, start + Math.max(0, text.slice(start).search(/^\}/m)));
  if (/^export (async )?function/.test(declaration)) return declaration.slice(0, declaration.search(/\{\n/));
  if (!declaration.startsWith('export class')) return declaration;
  return declaration.split('\n').filter((line, i) => i === 0 || /^ {2}(?!private |protected )(?:async |readonly |static |get )*[a-zA-Z]\w*\??[(<:]/.test(line)).join('\n');
}

const test = suite('eventlake/aws: the types its exports name');

test('every type declared under adapters/aws that an export of eventlake/aws names in its signature is exported by name too', () => {
  const { names, values } = entryExports();
  const types = awsTypes();
  const named = values.flatMap(({ name, file }) => [...new Set(signatureOf(name, file).match(/\b[A-Z]\w*\b/g) ?? [])]
    .filter((t) => t !== name && types.has(t)).map((t) => ({ t, by: name })));
  // The scan reads functions' parameters and constructors' options: else it would pass by finding nothing.
  assert.ok(named.some((n) => n.t === 'AwsOpenConfig' && n.by === 'openAwsEventlake') && named.some((n) => n.t === 'DynamoDbIdentityClaimsOptions'));
  assert.equal(named.filter((n) => !names.has(n.t)).map((n) => `${n.t} (named by ${n.by})`), []);
});

test.run();
