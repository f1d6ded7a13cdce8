// Generates TypeScript types from a folder of event schemas: one type per type and version, checked in and drift-tested.
//
// Usage: node --import tsx scripts/generate-types.ts [SCHEMA_DIR] [--out FILE] [--check]
//   defaults, inside this repository only: schemas/builtin → domain/bank-events.generated.ts (domain imports only domain);
//   another SCHEMA_DIR needs its own --out FILE, wherever it runs (see generate-types-targets.ts)
//   --check: write nothing, exit 1 when FILE differs from what the schemas generate.
// The paths the generated file names are relative to the folder it is generated from (the project's), never to this
// script, so the same project generates the same file wherever it and eventlake sit (another machine, CI); run
// --check from that same folder.
//
// Why our own generator rather than json-schema-to-ts's FromSchema: FromSchema needs each schema pasted into a .ts file
// `as const` (JSON imports are widened), so the schema would exist twice; and its deep conditional types show up in
// editors as expansions instead of names. The schemas use a small subset of JSON Schema, which this maps to plain,
// readable types with the schemas' descriptions as TSDoc.

import { readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventlakeError, InvalidArgumentError } from '../domain/errors.ts';
import { generationTargets, regenerateCommand, SCRIPT, scriptFrom } from './generate-types-targets.ts';

export { regenerateCommand, scriptFrom };

type Schema = { readonly [keyword: string]: unknown };

const FILE_NAME = /^([a-z][a-z0-9_]{0,63})\.v([1-9][0-9]{0,3})\.json$/;
const pascal = (type: string) => type.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const literal = (v: unknown) => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v));
const doc = (text: unknown, pad: string) => (typeof text === 'string' && text ? `${pad}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');
const key = (name: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name));

/** The TypeScript type of a schema (the subset event schemas use; anything else is `unknown`). */
export function typeOf(schema: Schema, pad = ''): string {
  if ('const' in schema) return literal(schema['const']);
  if (Array.isArray(schema['enum'])) return schema['enum'].map(literal).join(' | ');
  for (const [kw, op] of [['anyOf', ' | '], ['oneOf', ' | '], ['allOf', ' & ']] as const) {
    if (Array.isArray(schema[kw])) return (schema[kw] as Schema[]).map((s) => `(${typeOf(s, pad)})`).join(op);
  }
  const t = schema['type'];
  if (Array.isArray(t)) return t.map((x) => typeOf({ ...schema, type: x }, pad)).join(' | ');
  switch (t) {
    case 'string': return 'string';
    case 'integer': case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': return `readonly (${typeof schema['items'] === 'object' ? typeOf(schema['items'] as Schema, pad) : 'unknown'})[]`;
    case 'object': return objectType(schema, pad);
    default: return 'unknown';
  }
}

function objectType(schema: Schema, pad: string): string {
  const props = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  const extra = schema['additionalProperties'];
  const inner = `${pad}  `;
  const lines = Object.entries(props).map(([name, s]) =>
    `${'const' in s ? '' : doc(s['description'], inner)}${inner}readonly ${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(s, inner)};\n`);
  if (extra !== false) {
    // With named fields beside it, an index signature must admit their types too, so it widens to unknown.
    const value = typeof extra === 'object' && lines.length === 0 ? typeOf(extra as Schema, inner) : 'unknown';
    lines.push(`${inner}readonly [key: string]: ${value};\n`);
  }
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('')}${pad}}`;
}

/** The folder's file names, sorted; a missing folder (or a file in its place) is an error naming it and the fix. */
function schemaFiles(schemaDir: string): string[] {
  try {
    return readdirSync(schemaDir).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw new InvalidArgumentError('SCHEMA_DIR', `${resolve(schemaDir)} is not a folder (${code}): pass the folder that holds the ` +
      `<type>.v<N>.json schemas, as a path from the current directory ${process.cwd()}`);
  }
}

/**
 * The whole generated module for the schemas of `schemaDir`, as it is written to `outFile`; the paths it names are
 * relative to `cwd` (where the generator runs), so `--check` gives the same answer wherever the project is moved.
 */
export function generateTypes(schemaDir: string, outFile: string, cwd = process.cwd()): string {
  const byType = new Map<string, { version: number; schema: Schema }[]>();
  for (const f of schemaFiles(schemaDir)) {
    const m = FILE_NAME.exec(f);
    if (!m) continue;
    const versions = byType.get(m[1]!) ?? [];
    versions.push({ version: Number(m[2]), schema: JSON.parse(readFileSync(join(schemaDir, f), 'utf8')) as Schema });
    byType.set(m[1]!, versions.sort((a, b) => a.version - b.version));
  }
  const from = relative(cwd, resolve(cwd, schemaDir)) || '.';
  const out = [
    `// GENERATED from ${from} by ${SCRIPT}: do not edit.`,
    `// Regenerate: ${regenerateCommand(schemaDir, outFile, cwd)}\n`,
  ];
  const types = [...byType.keys()].sort();
  for (const type of types) {
    const versions = byType.get(type)!;
    for (const { version, schema } of versions) {
      out.push(`/**\n * ${String(schema['title'] ?? type)}, SchemaVersion ${version}.${typeof schema['description'] === 'string' ? `\n * ${schema['description'].replace(/\*\//g, '*\\/')}` : ''}\n */`);
      out.push(`export type ${pascal(type)}V${version} = ${typeOf(schema)};\n`);
    }
    const names = versions.map((v) => `${pascal(type)}V${v.version}`);
    out.push(`/** ${type} at any of its versions, as the log may hold it. */\nexport type ${pascal(type)} = ${names.join(' | ')};`);
    out.push(`/** ${type} at its latest version, as \`registry.upcast\` returns it. */\nexport type ${pascal(type)}Latest = ${names.at(-1)!};\n`);
  }
  out.push(`/** Each event type of ${from}, by EventType, in all its versions. */`);
  out.push(`export type EventsByType = {\n${types.map((t) => `  ${t}: ${pascal(t)};\n`).join('')}};`);
  return `${out.join('\n')}\n`;
}

// The generated text without the lines that name paths, to tell a file generated from another folder from a stale one.
const withoutPaths = (text: string) =>
  text.split('\n').filter((l) => !/^(\/\/ GENERATED from |\/\/ Regenerate: |\/\*\* Each event type of )/.test(l)).join('\n');

function main(args: string[]): number {
  const outAt = args.indexOf('--out');
  const outFile = outAt >= 0 ? args[outAt + 1] : undefined;
  const positional = args.filter((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
  const { schemaDir, outFile: target } = generationTargets(positional[0], outFile);
  const text = generateTypes(schemaDir, target);
  if (args.includes('--check')) {
    let current = '';
    try { current = readFileSync(target, 'utf8'); } catch { /* a missing file differs */ }
    if (current === text) return 0;
    const why = withoutPaths(current) === withoutPaths(text)
      ? ' only in the paths its header names, which are relative to the folder the generator runs from: run --check ' +
        'from the folder it was generated in, or regenerate from here:'
      : ':';
    process.stderr.write(`${target} is out of date${why} run ${regenerateCommand(schemaDir, target)}\n`);
    return 1;
  }
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
  return 0;
}

/** Like the CLI: a typed error is one line on stderr and exit 1; anything else keeps its stack. */
function run(args: string[]): number {
  try {
    return main(args);
  } catch (error) {
    if (!(error instanceof EventlakeError)) throw error;
    process.stderr.write(`generate-types: ${error.code}: ${error.message}\n`);
    return 1;
  }
}

// Node runs the main module from its real path, so argv[1] (a link such as node_modules/eventlake/…) must be resolved
// the same way before comparing, or started through the link the script would do nothing and exit 0.
function startedAsScript(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false; // argv[1] is no file (a REPL, node -e): imported, not started
  }
}

if (startedAsScript()) process.exitCode = run(process.argv.slice(2));
