// The error classes eventlake declares, found in the source text (not through the entries whose exports tests check),
// with the stable code each has, its own or its parent's.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Which entry a user imports a layer's errors from. */
export const ERROR_ENTRIES: readonly { readonly layers: readonly string[]; readonly entry: 'eventlake' | 'eventlake/aws' | 'eventlake/local' }[] = [
  { layers: ['domain', 'schemas', 'projections'], entry: 'eventlake' },
  { layers: ['adapters/aws'], entry: 'eventlake/aws' },
  { layers: ['adapters/local'], entry: 'eventlake/local' },
];

/** One declared error class: its name, file (from the repository root), entry, and code (undefined for the abstract base). */
export interface ErrorClass {
  readonly name: string;
  readonly file: string;
  readonly entry: (typeof ERROR_ENTRIES)[number]['entry'];
  readonly code: string | undefined;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every exported class of the layers' files that extends an `…Error`, with its code. */
export function declaredErrors(): ErrorClass[] {
  const files = ERROR_ENTRIES.flatMap(({ layers, entry }) => layers.flatMap((l) => sources(join(root, l)).map((file) => ({ file, entry, text: readFileSync(file, 'utf8') }))));
  const all = files.map((f) => f.text).join('\n');
  const parents = new Map([...all.matchAll(/^export (?:abstract )?class (\w+) extends (\w+)/gm)].map((m) => [m[1]!, m[2]!]));
  const codes = new Map([...all.matchAll(/^export class (\w+) extends \w+ \{\n  readonly code = '([A-Z_]+)';/gm)].map((m) => [m[1]!, m[2]!]));
  const codeOf = (name: string | undefined): string | undefined => (name === undefined ? undefined : codes.get(name) ?? codeOf(parents.get(name)));
  return files.flatMap(({ file, entry, text }) => [...text.matchAll(/^export (?:abstract )?class (\w+) extends (\w+)/gm)]
    .filter((m) => m[2]!.endsWith('Error'))
    .map((m) => ({ name: m[1]!, file: relative(root, file), entry, code: codeOf(m[1]!) })));
}
