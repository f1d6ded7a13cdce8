// The types a package entry's exports name in their signatures, read from the source text: what a caller must be able
// to import by name from some entry (deep imports are refused by the "exports" map). Shared by the entries' guards.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
const source = (file: string) => withoutComments(readFileSync(file, 'utf8'));

/** One name an entry exports: the file its `export … from` names, and whether it is exported as a type only. */
export interface EntryExport { readonly name: string; readonly file: string; readonly typeOnly: boolean }

/** The `export { … } from '…'` lists of `entry` (a file path): every exported name, with the file it comes from. */
export function entryExports(entry: string): EntryExport[] {
  const out: EntryExport[] = [];
  for (const [, type, list, from] of source(entry).matchAll(/export (type )?\{([^}]*)\} from '([^']+)'/g)) {
    for (const item of list!.split(',').map((n) => n.trim()).filter(Boolean)) {
      const inline = item.startsWith('type ');
      out.push({ name: item.replace(/^type /, '').split(/ as /).at(-1)!.trim(), file: resolve(dirname(entry), from!), typeOnly: Boolean(type) || inline });
    }
  }
  return out;
}

/** Every type (`export interface` / `export type`) the `.ts` files under `dirs` declare, with the file declaring it. */
export function declaredTypes(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) for (const [, name] of readFileSync(path, 'utf8').matchAll(/^export (?:interface|type) ([A-Z]\w*)/gm)) out.set(name!, path);
    }
  };
  dirs.filter((d) => existsSync(d)).forEach(walk);
  return out;
}

/** The file that declares `name`, following `export { … } from` re-exports (a ports index) from `file`. */
function declaringFile(name: string, file: string, seen = new Set<string>()): string {
  if (seen.has(file)) return file;
  seen.add(file);
  const text = source(file);
  if (new RegExp(`^export (?:declare )?(?:abstract )?(?:async )?(?:function|class|interface|type|const) ${name}\\b`, 'm').test(text)) return file;
  for (const [, list, from] of text.matchAll(/export (?:type )?\{([^}]*)\} from '([^']+)'/g)) {
    if (list!.split(',').some((item) => item.replace(/^\s*type /, '').trim() === name)) return declaringFile(name, resolve(dirname(file), from!), seen);
  }
  return file;
}

/** The file declaring `name` as `file` sees it: its own declaration, the one it imports, else `types`' (names repeat). */
function fileOf(name: string, file: string, types: ReadonlyMap<string, string>): string {
  const text = source(file);
  if (new RegExp(`^export (?:interface|type) ${name}\\b`, 'm').test(text)) return file;
  for (const [, list, from] of text.matchAll(/import (?:type )?\{([^}]*)\} from '([^']+)'/g)) {
    if (list!.split(',').some((item) => item.replace(/^\s*type /, '').trim() === name)) return declaringFile(name, resolve(dirname(file), from!));
  }
  return types.get(name)!;
}

/** The end of a type alias that starts at `start`: its `;`, or the end of its line, outside any bracket. */
function aliasEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if ('{[(<'.includes(c)) depth++;
    else if ('}])>'.includes(c) && text[i - 1] !== '=') depth--;
    else if (depth <= 0 && (c === ';' || (c === '\n' && !/^\n\s*[|&]/.test(text.slice(i, i + 40))))) return i;
  }
  return text.length;
}

/**
 * What a caller meets of `name` declared in `file`: a function's parameters and result, a class's public members, an
 * interface's body, a type alias's definition ('' when it is none of these, e.g. a constant).
 */
export function signatureOf(name: string, file: string): string {
  const text = source(file);
  const start = text.search(new RegExp(`^export (?:declare )?(?:abstract )?(?:async )?(?:function|class|interface|type) ${name}\\b`, 'm'));
  if (start < 0) return '';
  if (/^export (?:declare )?type /.test(text.slice(start))) return text.slice(start, aliasEnd(text, start));
  const declaration = text.slice(start, start + Math.max(0, text.slice(start).search(/^\}/m)));
  if (/^export (async )?function/.test(declaration)) return declaration.slice(0, declaration.search(/\{\n/));
  if (!/^export (?:abstract )?class/.test(declaration)) return declaration;
  return declaration.split('\n').filter((line, i) => i === 0 || /^ {2}(?!private |protected )(?:async |readonly |static |get |abstract )*[a-zA-Z]\w*\??[(<:]/.test(line)).join('\n');
}

/** A type `by` (an export, or a type reached from one) names in its signature. */
export interface NamedType { readonly type: string; readonly by: string; readonly file: string }

/**
 * The types among `types` that the exports of `entry` name in their signatures. With `typeExports`, the exported
 * interfaces and aliases are read too (the ports a custom adapter implements); with `transitive`, so is every type
 * found that way, in turn (the options object of a port's method, and its fields' types).
 */
export function namedTypes(entry: string, types: ReadonlyMap<string, string>, scan: { typeExports?: boolean; transitive?: boolean } = {}): NamedType[] {
  const found: NamedType[] = [];
  const queue = entryExports(entry).filter((e) => scan.typeExports || !e.typeOnly).map((e) => ({ name: e.name, file: declaringFile(e.name, e.file) }));
  const read = new Set(queue.map((q) => q.name));
  for (let next = queue.shift(); next; next = queue.shift()) {
    // A capitalised word followed by `:` is a field's name (an event's fields are PascalCase), not a type.
    for (const type of new Set(signatureOf(next.name, next.file).match(/\b[A-Z]\w*\b(?!\??:)/g) ?? [])) {
      if (type === next.name || !types.has(type)) continue;
      const file = fileOf(type, next.file, types);
      found.push({ type, by: next.name, file });
      if (scan.transitive && !read.has(type)) { read.add(type); queue.push({ name: type, file }); }
    }
  }
  return found;
}

/** `Type (named by export)` for each named type no entry among `entries` exports by name. */
export function unexported(named: readonly NamedType[], entries: readonly string[]): string[] {
  const names = new Set(entries.flatMap((e) => entryExports(e).map((x) => x.name)));
  return [...new Set(named.filter((n) => !names.has(n.type)).map((n) => `${n.type} (named by ${n.by})`))];
}
