// Breaking changes between two consecutive versions of an event schema: what `schemas check` reports and what the
// registry refuses to load without an upcaster. One implementation, so the two always agree.

import type { EvolutionFinding } from '../domain/errors.ts';

export type Schema = Record<string, unknown>;

/** One change of v(N-1) → vN that rejects events the older version accepted, with the fix in its message. */
export interface BreakingChange {
  /** JSON pointer into the newer version's schema. */
  readonly pointer: string;
  /** e.g. `v1 → v2: the new field Reason is required; add an upcaster from v1 (…) or make the change non-breaking`. */
  readonly message: string;
}

/** A JSON pointer of `parts`, escaped (`~0`, `~1`). */
export const ptr = (...parts: (string | number)[]) => parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
/** `v` when it is a JSON object, else an empty one: schemas read from files are not trusted to be well-formed. */
export const obj = (v: unknown): Schema => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {});
/** The strings of `v` when it is an array, else none. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The changes from `before` (v`from` of `type`, by default `version - 1`) to `after` (v`version`) that reject events
 * the older version accepted: removed, renamed, newly required or narrowed fields. Empty when the bump is compatible.
 * An earlier `from` is a version gap, which no upcaster can bridge (each lifts one version to the next loaded one).
 *
 * @example
 * breakingChanges('parcel_returned', 2, v1Schema, v2Schema); // [{ pointer: '/required/5', message: 'v1 → v2: the new field Reason is required; …' }]
 */
export function breakingChanges(type: string, version: number, before: Schema, after: Schema, from = version - 1): BreakingChange[] {
  const changes: Change[] = [];
  compareObjects(before, after, '', changes, true);
  const fix = from < version - 1
    ? `; v${version - 1} is not loaded, so no upcaster can lift v${from} events: load ${type}.v${version - 1}.json with an upcaster to each next version, or make the change non-breaking`
    : `; add an upcaster from v${from} (in the upcasters of your extensions module, or registry.addUpcaster('${type}', ${from}, fn)) or make the change non-breaking`;
  return changes.map((c) => ({ pointer: c.pointer, message: `v${from} → v${version}: ${c.message}${fix}` }));
}

/**
 * The breaking changes between consecutive loaded versions (`versions` by type, then version) that `hasUpcaster`
 * does not cover: what `schemas check` finds for a folder holding the same versions, by type, then version.
 */
export function uncoveredBreakingChanges(
  versions: ReadonlyMap<string, ReadonlyMap<number, { readonly file: string; readonly schema: Schema }>>,
  hasUpcaster: (type: string, fromVersion: number) => boolean,
): EvolutionFinding[] {
  const findings: EvolutionFinding[] = [];
  for (const type of [...versions.keys()].sort()) {
    const byVersion = versions.get(type)!;
    const sorted = [...byVersion.keys()].sort((a, b) => a - b);
    for (const [i, version] of sorted.entries()) {
      // Across a gap (the `version-gap` of `schemas check`), against the loaded version below: events of it are read
      // as they are, since no upcaster can be registered without the version between.
      const from = sorted[i - 1];
      if (from === undefined || (from === version - 1 && hasUpcaster(type, from))) continue;
      const [before, after] = [byVersion.get(from)!, byVersion.get(version)!];
      findings.push(...breakingChanges(type, version, before.schema, after.schema, from).map((c) => ({ type, fromVersion: from, file: after.file, ...c })));
    }
  }
  return findings;
}

type Change = { pointer: string; message: string };
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Changes of an object schema that reject events the old one accepted: removed, renamed, newly required, narrowed fields. */
function compareObjects(before: Schema, after: Schema, at: string, out: Change[], top = false): void {
  const [oldProps, newProps] = [obj(before['properties']), obj(after['properties'])];
  const [oldReq, newReq] = [strings(before['required']), strings(after['required'])];
  const added = Object.keys(newProps).filter((p) => !(p in oldProps));
  const renames = new Set<string>();
  for (const name of Object.keys(oldProps).filter((p) => !(p in newProps))) {
    const renamed = added.find((p) => !renames.has(p) && same(oldProps[name], newProps[p]));
    const kind = oldReq.includes(name) ? 'required' : 'optional';
    if (renamed) renames.add(renamed);
    out.push({ pointer: `${at}${ptr('properties', name)}`, message: renamed ? `the ${kind} field ${name} was renamed to ${renamed}` : `the ${kind} field ${name} was removed` });
  }
  newReq.forEach((name, i) => {
    if (oldReq.includes(name) || !(name in newProps) || renames.has(name)) return;
    out.push({ pointer: `${at}${ptr('required', i)}`, message: name in oldProps ? `the optional field ${name} became required` : `the new field ${name} is required` });
  });
  for (const name of Object.keys(newProps).filter((p) => p in oldProps && !(top && p === 'SchemaVersion'))) {
    compareValues(obj(oldProps[name]), obj(newProps[name]), `${at}${ptr('properties', name)}`, out);
  }
  const [oldExtra, newExtra] = [before['additionalProperties'], after['additionalProperties']];
  if (newExtra === false && oldExtra !== false && !top) out.push({ pointer: `${at}${ptr('additionalProperties')}`, message: 'no longer accepts other fields' });
  else if (typeof newExtra === 'object' && typeof oldExtra === 'object') compareValues(obj(oldExtra), obj(newExtra), `${at}${ptr('additionalProperties')}`, out);
}

const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minProperties', 'minItems'] as const;
const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxProperties', 'maxItems'] as const;

function typesOf(s: Schema): string[] | undefined {
  const t = s['type'];
  return t === undefined ? undefined : Array.isArray(t) ? strings(t) : [String(t)];
}

/** Narrowing of one value's schema: its type, allowed values, format, pattern and bounds, and nested objects. */
function compareValues(a: Schema, b: Schema, at: string, out: Change[]): void {
  const narrowed = (key: string, message: string) => out.push({ pointer: `${at}${ptr(key)}`, message });
  const [ta, tb] = [typesOf(a), typesOf(b)];
  if (tb && (!ta || ta.some((t) => !tb.includes(t) && !(t === 'integer' && tb.includes('number'))))) narrowed('type', `type narrowed from ${ta?.join('|') ?? 'any'} to ${tb.join('|')}`);
  if ('const' in b && !same(a['const'], b['const'])) narrowed('const', `now only ${JSON.stringify(b['const'])}`);
  if (Array.isArray(b['enum'])) {
    const allowed = 'const' in a ? [a['const']] : Array.isArray(a['enum']) ? a['enum'] : undefined;
    const lost = allowed?.filter((v) => !(b['enum'] as unknown[]).some((w) => same(v, w)));
    if (!allowed || lost!.length > 0) narrowed('enum', allowed ? `no longer allows ${lost!.map((v) => JSON.stringify(v)).join(', ')}` : 'now limited to an enum');
  }
  for (const key of ['pattern', 'format'] as const) if (key in b && !same(a[key], b[key])) narrowed(key, `${key} ${key in a ? 'changed' : 'added'}: ${JSON.stringify(b[key])}`);
  for (const key of LOWER) if (typeof b[key] === 'number' && !((a[key] as number) >= (b[key] as number))) narrowed(key, `${key} raised to ${b[key]}`);
  for (const key of UPPER) if (typeof b[key] === 'number' && !((a[key] as number) <= (b[key] as number))) narrowed(key, `${key} lowered to ${b[key]}`);
  if (typeof b['multipleOf'] === 'number' && !(typeof a['multipleOf'] === 'number' && a['multipleOf'] % b['multipleOf'] === 0)) narrowed('multipleOf', `multipleOf ${b['multipleOf']} added`);
  for (const key of ['items', 'propertyNames'] as const) if (typeof b[key] === 'object') compareValues(obj(a[key]), obj(b[key]), `${at}${ptr(key)}`, out);
  if ('properties' in b || 'required' in b || 'additionalProperties' in b) compareObjects(a, b, at, out);
}
