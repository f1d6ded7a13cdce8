// The schema registry: loads one JSON Schema file per event type and version, validates events, and upcasts them.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { EventTooLargeError, InvalidArgumentError, SchemaValidationError, UnknownEventTypeError, UnknownSchemaVersionError } from '../domain/errors.ts';
import type { FieldIssue } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import { EVENT_TYPE_PATTERN, REQUEST_ID_PATTERN, eventId, serializeEvent } from '../domain/event.ts';
import { checkDomainRules } from '../domain/rules.ts';
import { toFieldIssues } from './issues.ts';
import { compilePrecheck } from './prevalidate.ts';
import type { FormatLookup, Precheck } from './prevalidate.ts';
import { BUILTIN_UPCASTERS, UpcasterChain } from './upcasters.ts';
import type { Upcaster } from './upcasters.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Folder of the built-in bank event schemas. */
export const BUILTIN_SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'builtin');
/** Largest serialized event the log accepts (EventBridge allows 256 KiB per entry; events are small facts). */
export const MAX_EVENT_BYTES = 64 * 1024;
const FILE_NAME = /^([a-z][a-z0-9_]{0,63})\.v([1-9][0-9]{0,3})\.json$/;

/** One loaded schema. */
export interface SchemaEntry {
  readonly type: string;
  readonly version: number;
  readonly file: string;
  readonly source: string;
  readonly schema: Record<string, unknown>;
  readonly validate: ValidateFunction;
  /** Fast "ajv would accept" check of the schema's common keywords, when it uses no other (see prevalidate.ts). */
  readonly precheck?: Precheck;
}

export interface RegistryOptions {
  /** Extra folders of `<event_type>.v<N>.json` files, loaded after the built-ins (a later file may not redefine a type+version). */
  readonly folders?: readonly string[];
  /** Leave out the built-in bank schemas. */
  readonly withoutBuiltins?: boolean;
  /** Epoch-seconds clock, for the far-future check. */
  readonly now?: () => number;
  /** How far ahead of the clock an EventTimeStamp may be. Default one day. */
  readonly maxFutureSkewSeconds?: number;
}

/**
 * Validates events against their type's JSON Schema and the domain rules, and upcasts stored events on read.
 *
 * @example
 * const registry = SchemaRegistry.load({ folders: ['./my-schemas'] });
 * const event = registry.validate(JSON.parse(text)); // throws SchemaValidationError listing every bad field
 * registry.addUpcaster('parcel_shipped', 1, (e) => ({ ...e, Carrier: 'UNKNOWN' }));
 * const current = registry.upcast(storedEvent); // parcel_shipped v1 → v2; the stored event is untouched
 */
export class SchemaRegistry {
  private readonly entries = new Map<string, Map<number, SchemaEntry>>();
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false }));
  private readonly upcasters = new UpcasterChain();
  private readonly latestByType = new Map<string, { count: number; version: number }>();

  private constructor(private readonly options: RegistryOptions) {}

  static load(options: RegistryOptions = {}): SchemaRegistry {
    const registry = new SchemaRegistry(options);
    const folders = [...(options.withoutBuiltins ? [] : [BUILTIN_SCHEMAS_DIR]), ...(options.folders ?? [])];
    for (const folder of folders) registry.loadFolder(resolve(folder));
    if (!options.withoutBuiltins) for (const [type, from, fn] of BUILTIN_UPCASTERS) registry.addUpcaster(type, from, fn);
    return registry;
  }

  private loadFolder(folder: string): void {
    let files: string[];
    try {
      files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
    } catch (cause) {
      throw new InvalidArgumentError('schemas', `cannot read schema folder ${folder}: ${(cause as Error).message}`);
    }
    for (const f of files) this.add(join(folder, f), folder);
  }

  /** Register one schema file. Its name must be `<event_type>.v<N>.json` and agree with its EventType/SchemaVersion consts. */
  add(file: string, source = dirname(file)): SchemaEntry {
    const m = FILE_NAME.exec(basename(file));
    if (!m) throw new InvalidArgumentError(file, 'schema files are named <event_type>.v<N>.json, e.g. outgoing_payment.v1.json');
    const [type, version] = [m[1]!, Number(m[2])];
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new InvalidArgumentError(file, `not valid JSON: ${(cause as Error).message}`);
    }
    checkConsts(file, schema, type, version);
    if (this.entries.get(type)?.has(version)) throw new InvalidArgumentError(file, `${type} v${version} is already defined by ${this.entries.get(type)!.get(version)!.file}`);
    let validate: ValidateFunction;
    const compiled = { ...schema, $id: undefined };
    try {
      validate = this.ajv.compile(compiled);
    } catch (cause) {
      throw new InvalidArgumentError(file, `not a valid JSON Schema (draft 2020-12): ${(cause as Error).message}`);
    }
    const precheck = compilePrecheck(compiled, this.formatLookup);
    const entry: SchemaEntry = { type, version, file, source, schema, validate, ...(precheck ? { precheck } : {}) };
    if (!this.entries.has(type)) this.entries.set(type, new Map());
    this.entries.get(type)!.set(version, entry);
    return entry;
  }

  /** The ajv instance's own string formats, for the precheck (RegExp, function or synchronous string definition). */
  private readonly formatLookup: FormatLookup = (name) => {
    const f = this.ajv.formats[name];
    if (f === true) return () => true;
    const def = f instanceof RegExp || typeof f === 'function' ? f : f && typeof f === 'object' && !f.async && (f.type ?? 'string') === 'string' ? f.validate : undefined;
    // ajv-formats' uuid accepts every RequestId-shaped string: testing that first lets the envelope check, which
    // follows with the same string, answer from isRequestId's memo instead of a second case-insensitive regex.
    if (def instanceof RegExp && name === 'uuid' && def.source === UUID_FORMAT.source && def.flags === UUID_FORMAT.flags) return (text) => isRequestId(text) || def.test(text);
    if (def instanceof RegExp) return (text) => def.test(text);
    if (typeof def === 'function') return (text) => (def as (s: string) => boolean)(text) === true;
    return undefined;
  };

  /** Every registered type with its versions, their folders and the versions that upcast to the next, in name order. */
  types(): { type: string; versions: number[]; sources: string[]; upcasters: number[] }[] {
    return [...this.entries.keys()].sort().map((type) => {
      const byVersion = [...this.entries.get(type)!.values()].sort((a, b) => a.version - b.version);
      return { type, versions: byVersion.map((e) => e.version), sources: [...new Set(byVersion.map((e) => e.source))], upcasters: this.upcasters.steps(type) };
    });
  }

  /** The schema of a type at a version (the latest when omitted). */
  entry(type: string, version?: number): SchemaEntry {
    const versions = this.entries.get(type);
    if (!versions) throw new UnknownEventTypeError(type, [...this.entries.keys()].sort());
    const v = version ?? Math.max(...versions.keys());
    const e = versions.get(v);
    if (!e) throw new UnknownSchemaVersionError(type, v, [...versions.keys()].sort());
    return e;
  }

  /** Latest version of a type. */
  latestVersion(type: string): number {
    return this.entry(type).version;
  }

  /**
   * Register the upcaster of `type` from `fromVersion` to `fromVersion + 1`; both schemas must be loaded.
   * The cash_withdrawal v1 → v2 upcaster is registered by default (with the built-in schemas).
   */
  addUpcaster(type: string, fromVersion: number, fn: Upcaster): void {
    this.entry(type, fromVersion);
    this.entry(type, fromVersion + 1);
    this.upcasters.add(type, fromVersion, fn);
  }

  /** Whether `type` has an upcaster from `fromVersion` to the next version. */
  hasUpcaster(type: string, fromVersion: number): boolean {
    return this.upcasters.has(type, fromVersion);
  }

  /**
   * The event lifted to its type's latest version by the registered upcasters, one step at a time; for projections
   * and replay, on read. Validates nothing more and never mutates its input. An event of an unknown type, at the
   * latest version, or whose next step has no upcaster (a compatible bump) comes back as it is.
   * Bound, so it can be handed over as is: `{ upcast: registry.upcast }`.
   */
  readonly upcast = (event: DomainEvent): DomainEvent => {
    const versions = this.entries.get(event.EventType);
    if (!versions) return event;
    // Replay calls this once per event: the latest version is cached per type, keyed by how many versions it had
    // (versions are only ever added), and an event already at the latest skips the chain.
    let latest = this.latestByType.get(event.EventType);
    if (latest === undefined || latest.count !== versions.size) {
      latest = { count: versions.size, version: Math.max(...versions.keys()) };
      this.latestByType.set(event.EventType, latest);
    }
    return event.SchemaVersion >= latest.version ? event : this.upcasters.upcast(event, latest.version);
  };

  /**
   * Validate an event: envelope, its schema, the domain rules, the size limit.
   * Returns the event typed as a DomainEvent, or throws a typed error naming every failing field.
   */
  validate(input: unknown): DomainEvent {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new SchemaValidationError('(not an object)', [{ pointer: '', reason: `is ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`, expected: 'a JSON object with EventType, SchemaVersion, RequestId and EventTimeStamp' }]);
    }
    const record = input as Record<string, unknown>;
    const type = record['EventType'];
    const versions = typeof type === 'string' ? this.entries.get(type) : undefined;
    // A registered type name matched the file-name pattern, which is EVENT_TYPE_PATTERN: the regex is for the others.
    if (typeof type !== 'string' || (versions === undefined && !EVENT_TYPE_PATTERN.test(type))) {
      throw new SchemaValidationError('(unknown)', [{ pointer: '/EventType', reason: type === undefined ? 'is required' : 'is not a snake_case event type', expected: `one of ${[...this.entries.keys()].sort().join(', ')}` }]);
    }
    const version = record['SchemaVersion'];
    const entry = (typeof version === 'number' ? versions?.get(version) : undefined) ?? this.entry(type, typeof version === 'number' ? version : undefined);
    if (version !== entry.version) throw new UnknownSchemaVersionError(type, version, [...this.entries.get(type)!.keys()].sort());
    // The precheck only ever answers "ajv accepts": then ajv's errors would be empty, and it is skipped (≈ 2.5 µs).
    let issues = entry.precheck !== undefined && entry.precheck(input) ? checkEnvelope(record) : undefined;
    if (issues === undefined) issues = entry.validate(input) ? checkEnvelope(record) : toFieldIssues(entry.validate.errors ?? [], entry.schema);
    if (issues.length === 0) {
      issues = checkDomainRules(input as DomainEvent);
      const late = this.checkClock(record);
      if (late !== undefined) issues.push(late);
    }
    if (issues.length > 0) throw new SchemaValidationError(idOf(record, type), issues);
    // Serializing costs more than the rest of validation: a cheap upper bound of the size decides for every event
    // far from the limit, and only one that could be near it is serialized to be measured exactly.
    if (serializedSizeBound(input, 0) > MAX_EVENT_BYTES) {
      const size = Buffer.byteLength(serializeEvent(input as DomainEvent));
      if (size > MAX_EVENT_BYTES) throw new EventTooLargeError(idOf(record, type), size, MAX_EVENT_BYTES);
    }
    return input as DomainEvent;
  }

  private checkClock(record: Record<string, unknown>): FieldIssue | undefined {
    const now = this.options.now !== undefined ? this.options.now() : Math.floor(Date.now() / 1000);
    const skew = this.options.maxFutureSkewSeconds ?? 86_400;
    const ts = record['EventTimeStamp'] as number;
    if (ts <= now + skew) return undefined;
    return { pointer: '/EventTimeStamp', reason: `is ${ts - now} s in the future`, expected: `epoch seconds no later than ${skew} s after now (${now})` };
  }
}

/** The identity an error names; built only when there is an error to throw. */
function idOf(record: Record<string, unknown>, type: string): string {
  const id = record['RequestId'];
  return typeof id === 'string' ? eventId({ EventType: type, RequestId: id }) : `${type}_(no RequestId)`;
}

/** Longest JSON text of a number: 17 digits after `-0.00000`, as in `-0.0000012345678901234567` (25 characters). */
const MAX_NUMBER_CHARS = 25;

/**
 * An upper bound of the UTF-8 size of serializeEvent(value), or Infinity when the value is not plain JSON data
 * (undefined, a function, a bigint, a class instance, too deep): those are measured exactly, by serializing.
 * A UTF-16 unit takes at most 6 bytes in JSON (a `\uXXXX` escape), which bounds every string and key.
 */
function serializedSizeBound(value: unknown, depth: number): number {
  if (typeof value === 'string') return 6 * value.length + 2;
  if (typeof value === 'number') return MAX_NUMBER_CHARS;
  if (typeof value === 'boolean') return 5;
  if (value === null) return 4;
  if (typeof value !== 'object' || depth > 32) return Infinity;
  const proto = Object.getPrototypeOf(value) as unknown;
  let size = 2;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return Infinity;
    for (let i = 0; i < value.length; i++) size += serializedSizeBound(value[i], depth + 1) + 1;
    return size;
  }
  if (proto !== Object.prototype && proto !== null) return Infinity;
  const record = value as Record<string, unknown>;
  // for…in also yields inherited enumerable keys, which only raises the bound; it saves Object.keys' array.
  for (const key in record) {
    const v = record[key];
    size += 6 * key.length + 4 + (typeof v === 'string' ? 6 * v.length + 2 : typeof v === 'number' ? MAX_NUMBER_CHARS : serializedSizeBound(v, depth + 1));
  }
  return size;
}

/** A schema whose EventType/SchemaVersion consts disagree with its file name could never accept an event. */
function checkConsts(file: string, schema: Record<string, unknown>, type: string, version: number): void {
  const props = (schema['properties'] ?? {}) as Record<string, { const?: unknown } | undefined>;
  const [eventType, schemaVersion] = [props['EventType']?.const, props['SchemaVersion']?.const];
  if (eventType !== undefined && eventType !== type) throw new InvalidArgumentError(file, `EventType const ${JSON.stringify(eventType)} does not match the file name (${type})`);
  if (schemaVersion !== undefined && schemaVersion !== version) throw new InvalidArgumentError(file, `SchemaVersion const ${JSON.stringify(schemaVersion)} does not match the file name (v${version})`);
}

/** ajv-formats' `uuid` regex, a superset of REQUEST_ID_PATTERN. */
const UUID_FORMAT = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
/** The last string REQUEST_ID_PATTERN matched: a memo of one, since the uuid format and the envelope test it in a row. */
let lastRequestId = '';

function isRequestId(text: string): boolean {
  if (text === lastRequestId) return true;
  if (!REQUEST_ID_PATTERN.test(text)) return false;
  lastRequestId = text;
  return true;
}

const MAX_TIMESTAMP = 4_102_444_800; // 2100-01-01, as in the built-in schemas
const NO_ISSUES: FieldIssue[] = Object.freeze([]) as unknown as FieldIssue[];

/**
 * The envelope rules every type obeys whatever its schema says, because RequestId and EventTimeStamp become the
 * object key: a user schema that only says `"type": "string"` must not let `../../x` into a path.
 */
function checkEnvelope(record: Record<string, unknown>): FieldIssue[] {
  const [id, ts] = [record['RequestId'], record['EventTimeStamp']];
  const idOk = typeof id === 'string' && isRequestId(id);
  const tsOk = typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0 && ts <= MAX_TIMESTAMP;
  if (idOk && tsOk) return NO_ISSUES; // the common case, without an array per event
  const issues: FieldIssue[] = [];
  if (!idOk) issues.push({ pointer: '/RequestId', reason: 'is not a UUID', expected: 'a UUID such as "3f1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f"' });
  if (!tsOk) issues.push({ pointer: '/EventTimeStamp', reason: 'is not whole epoch seconds', expected: `epoch seconds (UTC) between 0 and ${MAX_TIMESTAMP} (year 2100)` });
  return issues;
}
