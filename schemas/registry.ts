// The schema registry: loads one JSON Schema file per event type and version, validates events, and upcasts them.

import { dirname, resolve } from 'node:path';
import { SchemaEvolutionError, SchemaValidationError, type FieldIssue } from '../domain/errors.ts';
import { accountsOf, type DomainEvent } from '../domain/event.ts';
import { checkDomainRules } from '../domain/rules.ts';
import { assertAccountColumns } from './account-fields.ts';
import { withAccountIssues } from './account-values.ts';
import { forgetColumns, withBigintReasons, withColumnIssues } from './column-values.ts';
import { uncoveredBreakingChanges } from './breaking-changes.ts';
import { checkEnvelope, futureTimestampIssue, withEnvelopeTimestamp } from './envelope.ts';
import { assertEventSize } from './event-size.ts';
import { errorEventId, storedEventError } from './stored-events.ts';
import { toFieldIssues } from './issues.ts';
import { inputSizeBound, withInputIssues } from './well-formed.ts';
import { SchemaSet } from './schema-set.ts';
import { BUILTIN_UPCASTERS, HANDED_OVER, UpcasterChain } from './upcasters.ts';
import type { Upcast, Upcaster, UpcasterStep, UpcastOptions } from './upcasters.ts';
import { BUILTIN_SCHEMAS_DIR, checkRegistryOptions, type RegistryOptions, type SchemaEntry } from './schema-entry.ts';

export { BUILTIN_SCHEMAS_DIR, MAX_EVENT_BYTES, type RegistryOptions, type SchemaEntry } from './schema-entry.ts';

/**
 * Validates events against their type's JSON Schema and the domain rules, and upcasts stored events on read.
 *
 * @example
 * const registry = SchemaRegistry.load({ folders: ['./my-schemas'] });
 * const event = registry.validate(JSON.parse(text)); // throws SchemaValidationError listing every bad field
 * registry.addUpcaster('parcel_shipped', 1, (e) => ({ ...e, Carrier: 'UNKNOWN' })); // or load({ upcasters })
 * const current = registry.upcast(storedEvent); // parcel_shipped v1 → v2; the stored event is untouched
 * // A breaking v2 without that upcaster: SchemaEvolutionError at the first validate()/upcast() (or assertEvolvable())
 */
export class SchemaRegistry {
  private readonly schemas = new SchemaSet();
  private readonly upcasters = new UpcasterChain();
  /** Whether every breaking version bump loaded has an upcaster (checked once, again after a schema is added). */
  private evolvable = false;
  /** Upcast results of events validate() lifted, for the upcast() that follows it (replay); used once. */
  private readonly lifted = new WeakMap<object, DomainEvent>();

  private constructor(private readonly options: RegistryOptions) {}

  static load(options: RegistryOptions = {}): SchemaRegistry {
    const registry = new SchemaRegistry(checkRegistryOptions(options));
    const folders = [...(options.withoutBuiltins ? [] : [BUILTIN_SCHEMAS_DIR]), ...(registry.options.folders ?? [])];
    for (const folder of folders) registry.schemas.addFolder(resolve(folder));
    if (!options.withoutBuiltins) for (const [type, from, fn] of BUILTIN_UPCASTERS) registry.addUpcaster(type, from, fn);
    for (const step of options.upcasters ?? []) registry.addUpcaster(step.type, step.fromVersion, step.upcast);
    // Across schemas, once all are loaded: one type's field can make another's account field unreadable by SQL.
    assertAccountColumns(registry);
    return registry;
  }

  /** Register one schema file. Its name must be `<event_type>.v<N>.json` and agree with its EventType/SchemaVersion consts. */
  add(file: string, source = dirname(file)): SchemaEntry {
    this.evolvable = false;
    forgetColumns(this);
    return this.schemas.add(file, source);
  }

  /** Every registered type with its versions, their folders and the versions that upcast to the next, in name order. */
  types(): { type: string; versions: number[]; sources: string[]; upcasters: number[] }[] {
    return this.schemas.typeNames().map((type) => ({ type, ...this.schemas.versionsAndSources(type), upcasters: this.upcasters.steps(type) }));
  }

  /** The schema of a type at a version (the latest when omitted). */
  entry(type: string, version?: number): SchemaEntry {
    return this.schemas.entry(type, version);
  }

  /**
   * The account fields of `type` at `version`, for the index: those its schema declares (`x-eventlake-accounts`),
   * else SourceAccount / TargetAccount, as for a type or version not loaded.
   */
  accountFields(type: string, version: number): readonly string[] {
    return this.schemas.accountFields(type, version);
  }

  /** The accounts `event` touches, by the account fields of its type and version. Bound: `{ accountsOf: registry.accountsOf }`. */
  readonly accountsOf = (event: DomainEvent): string[] =>
    // Why the check: a lake whose schemas declare none (the usual one) indexes as before 6f575eb, at no cost.
    this.schemas.declaresAccounts() ? accountsOf(event, this.accountFields(event.EventType, event.SchemaVersion)) : accountsOf(event);

  /** Latest version of a type. */
  latestVersion(type: string): number {
    return this.entry(type).version;
  }

  /** Every registered upcaster (the built-in ones included), by type then version. */
  upcasterSteps(): UpcasterStep[] {
    return this.upcasters.all();
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

  /**
   * Throw `SchemaEvolutionError` when a loaded version breaks the one before it and no upcaster lifts that one: its
   * stored events would reach projections and replay in a shape the newer version does not promise. The findings are
   * those `schemas check` reports. Runs by itself at the first validate() or upcast(), since upcasters may be added
   * after load; call it once they are all registered to refuse earlier (openLocalEventlake does, before any I/O).
   */
  assertEvolvable(): void {
    if (this.evolvable) return;
    const findings = uncoveredBreakingChanges(this.schemas.byType, (type, from) => this.upcasters.has(type, from));
    if (findings.length > 0) throw new SchemaEvolutionError(findings);
    this.evolvable = true;
  }

  /** Whether `type` has an upcaster from `fromVersion` to the next version. */
  hasUpcaster(type: string, fromVersion: number): boolean {
    return this.upcasters.has(type, fromVersion);
  }

  /**
   * The event lifted to its type's latest version by the registered upcasters, one step at a time; for projections
   * and replay, on read. Never mutates its input. An event of an unknown type, at the latest version, or whose next
   * step has no upcaster (a compatible bump) comes back as it is. Each step's result is checked against its version's
   * schema: an upcaster that throws or returns an event that version rejects is an `UpcastError`. Bound, so it can be
   * handed over as is: `{ upcast: registry.upcast }`. `upcast.owned`: the same for an event handed over (Upcast).
   */
  readonly upcast: Upcast & { readonly owned: Upcaster } = Object.assign(
    (event: DomainEvent) => this.upcastWith(event), { owned: (event: DomainEvent) => this.upcastWith(event, HANDED_OVER) });

  private upcastWith(event: DomainEvent, options?: UpcastOptions): DomainEvent {
    if (!this.evolvable) this.assertEvolvable();
    // validate() of an old-version event upcasts it already (see there): replay, which validates then upcasts, gets
    // that result once instead of running the chain twice.
    const lifted = this.lifted.get(event);
    if (lifted === undefined) return this.lift(event, options);
    this.lifted.delete(event);
    return lifted;
  }

  private lift(event: DomainEvent, options?: UpcastOptions): DomainEvent {
    const latest = this.schemas.latest(event.EventType);
    // Replay calls this once per event: an event of an unknown type or already at the latest skips the chain.
    return latest === undefined || event.SchemaVersion >= latest ? event : this.upcasters.upcast(event, latest, this.stepIssues, options);
  }

  /**
   * What the schema of an upcast step's version and the envelope find wrong with its result. The domain rules are
   * not run again: they held for the stored event, and replay pays this for every old-version event.
   */
  private readonly stepIssues = (event: DomainEvent): FieldIssue[] => withBigintReasons(event, this.schemaIssues(this.entry(event.EventType, event.SchemaVersion), event as Record<string, unknown>));

  /** The schema's and the envelope's issues with `record` (the precheck answers "valid" for most, skipping ajv). */
  private schemaIssues(entry: SchemaEntry, record: Record<string, unknown>): FieldIssue[] {
    // The precheck only ever answers "ajv accepts": then ajv's errors would be empty, and it is skipped (≈ 2.5 µs).
    if (entry.precheck !== undefined && entry.precheck(record)) return checkEnvelope(record);
    return entry.validate(record) ? checkEnvelope(record) : withEnvelopeTimestamp(toFieldIssues(entry.validate.errors ?? [], entry.schema), record);
  }

  /** Validate an event (envelope, schema, domain rules, size): returned typed, or a typed error naming every failing field. */
  validate(input: unknown): DomainEvent {
    return this.check(input, true);
  }

  // `asInput`: also the input-only checks (well-formed Unicode, nesting depth, account values), which stored
  // events predating them need not pass: the log cannot be rewritten, and replaying it must not stop at one for good.
  private check(input: unknown, asInput: boolean): DomainEvent {
    if (!this.evolvable) this.assertEvolvable();
    const { record, entry } = this.schemas.entryFor(input);
    const type = entry.type;
    const bound = asInput ? inputSizeBound(record) : undefined;
    let issues = asInput ? withInputIssues(record, withColumnIssues(record, this, entry, withAccountIssues(record, entry.accountFields, this.schemaIssues(entry, record))), bound) : this.schemaIssues(entry, record);
    if (issues.length === 0) {
      issues = checkDomainRules(input as DomainEvent);
      const late = futureTimestampIssue(record, this.options.now?.() ?? Math.floor(Date.now() / 1000), this.options.maxFutureSkewSeconds ?? 86_400);
      if (late !== undefined) issues.push(late);
    }
    if (issues.length > 0) throw new SchemaValidationError(errorEventId(record, type), issues);
    assertEventSize(input, () => errorEventId(record, type), bound);
    // An old-version event is only ever read upcast: one its upcasters cannot lift is refused now (UpcastError),
    // before it is written, rather than failing every dispatch and replay that reads it.
    if (this.upcasters.checkedFrom(type, entry.version)) this.lifted.set(record, this.lift(record as DomainEvent));
    return input as DomainEvent;
  }

  /**
   * Validate an event read back from the log (replay), against the schema of the version it was written at: as
   * `validate`, with errors that say the event is stored and the fix is in the schemas (`StoredEventInvalidError`
   * naming the schema file, `StoredEventTypeUnknownError`, `StoredEventVersionUnknownError`; see stored-events.ts).
   */
  validateStored(stored: unknown): DomainEvent {
    try {
      return this.check(stored, false);
    } catch (error) {
      throw storedEventError(error, stored, this);
    }
  }
}
