// DynamoDbProjectionStore: projections on DynamoDB, one table per projection generation, live pointer in a control table.

import { DescribeTableCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { ApplyOptions, ApplyOutcome, ForeignFold, ProjectionStore, StoredRow } from '../../domain/ports/projection-store.ts';
import { eventId } from '../../domain/event.ts';
import type { Projection, ProjectionState } from '../../domain/projection.ts';
import { projectionNameCheck } from '../../projections/known-projection-names.ts';
import { num, readBigInt, readNum, readStr, storageCall, str, withRetries } from './dynamodb-codec.ts';
import { GenerationPointer } from './dynamodb-generation-pointer.ts';
import { applyEvent } from './dynamodb-projection-apply.ts';
import { getItem, orMissing, readRows, readState, type GenerationTables } from './dynamodb-projection-reads.ts';
import { deleteTable, ensureTable, removeDeletionProtection, type TableSettings } from './dynamodb-tables.ts';
import { PROJECTION_ATTR as P, PROJECTION_PREFIX as X, PROJECTION_TABLE, projectionTableName } from './table-keys.ts';

export interface DynamoDbProjectionStoreOptions {
  readonly client: DynamoDBClient;
  /**
   * The control table (CONTROL_TABLE in table-keys.ts) that keeps each projection's live and latest generation.
   * Chosen over an SSM parameter: the same client, conditional writes and consistent reads.
   */
  readonly controlTableName: string;
  /** Table name of a generation. Default `projectionTableName(tablePrefix, name, generation)`. */
  readonly tableFor?: (name: string, generation: number) => string;
  /** Prefix of the default table names (default `eventlake`). */
  readonly tablePrefix?: string;
  /** Create a generation's table on its first write (default true). Set false when tables are provisioned elsewhere. */
  readonly createTables?: boolean;
  /** Attempts of one event's transaction under contention or throttling before a TransientError (default 8). */
  readonly maxAttempts?: number;
  /** How the store creates generation tables: KMS key, PITR (default on, as PROJECTION_TABLE asks). */
  readonly tableSettings?: TableSettings;
  /** The lake's projections: every method refuses another before any request, not read as empty (default: any name). */
  readonly projections?: readonly string[];
}

/**
 * Projection state on DynamoDB: every event's changes and its idempotency item are one TransactWriteItems.
 * A generation is its own table; promote switches the control table's pointer (tables are never renamed), so a
 * PITR restore can produce a generation simply by restoring into that generation's table name.
 *
 * @example
 * const store = new DynamoDbProjectionStore({ client: new DynamoDBClient({}), controlTableName: 'eventlake-control' });
 * await store.apply(balancesProjection, await store.liveGeneration('balances'), events);
 */
export class DynamoDbProjectionStore implements ProjectionStore {
  private readonly client: DynamoDBClient;
  private readonly pointer: GenerationPointer;
  private readonly tables: GenerationTables;
  readonly tableFor: (name: string, generation: number) => string;
  private readonly createTables: boolean;
  private readonly maxAttempts: number;
  private readonly tableSettings: TableSettings;
  private readonly ensured = new Map<string, Promise<void>>();
  /** `name` back if the store takes it; else InvalidArgumentError naming the projections it was built with. */
  private readonly known: (name: string) => string;

  constructor(options: DynamoDbProjectionStoreOptions) {
    this.client = options.client;
    this.pointer = new GenerationPointer(options.client, options.controlTableName);
    const prefix = options.tablePrefix ?? 'eventlake';
    this.tableFor = options.tableFor ?? ((name, generation) => projectionTableName(prefix, name, generation));
    this.tables = { client: this.client, tableFor: this.tableFor };
    this.createTables = options.createTables ?? true;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.tableSettings = options.tableSettings ?? {};
    this.known = projectionNameCheck(options.projections);
  }

  private async writable(name: string, generation: number): Promise<string> {
    const table = this.tableFor(name, generation);
    if (!this.ensured.has(table)) {
      const ready = (async () => {
        await this.pointer.note(name, generation);
        if (this.createTables) await ensureTable(this.client, table, PROJECTION_TABLE, { initialDelayMs: 100, ...this.tableSettings });
      })();
      this.ensured.set(table, ready.catch((e: unknown) => { this.ensured.delete(table); throw e; }));
    }
    await this.ensured.get(table);
    return table;
  }

  async apply(projection: Projection, generation: number, events: readonly DomainEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
    this.known(projection.name);
    if (events.length === 0) return [];
    return storageCall(`applying events to ${projection.name} generation ${generation}`, async () => {
      const table = await this.writable(projection.name, generation);
      const target = { client: this.client, table, generation, replay: options.replay ?? false, maxAttempts: this.maxAttempts };
      const out: ApplyOutcome[] = [];
      // In order, one at a time: a later event of the batch may read the record an earlier one wrote.
      for (const event of events) out.push({ id: eventId(event), status: await applyEvent(target, projection, event) });
      return out;
    });
  }

  async counter(name: string, generation: number, key: string): Promise<bigint | undefined> {
    const item = await getItem(this.tables, this.known(name), generation, X.counter + key);
    return item ? readBigInt(item, P.counterValue) : undefined;
  }

  async counters(name: string, generation: number): Promise<Map<string, bigint>> {
    return (await this.readState(this.known(name), generation)).counters;
  }

  async rows(name: string, generation: number, partition: string): Promise<StoredRow[]> {
    return readRows(this.tables, this.known(name), generation, partition);
  }

  async readState(name: string, generation: number): Promise<ProjectionState> {
    return readState(this.tables, this.known(name), generation);
  }

  async appliedRecord(name: string, generation: number, id: string): Promise<{ replay: boolean } | undefined> {
    const item = await getItem(this.tables, this.known(name), generation, X.applied + id);
    return item ? { replay: item[P.replay]?.BOOL ?? false } : undefined;
  }

  async liveGeneration(name: string): Promise<number> {
    return this.pointer.live(this.known(name));
  }

  async listGenerations(name: string): Promise<number[]> {
    return this.pointer.list(this.known(name));
  }

  async createGeneration(name: string): Promise<number> {
    this.known(name);
    // Generation 1 exists implicitly; the counter only grows, so a dropped number is never handed out again, and a
    // number whose table already exists (written to without being created) is passed over.
    return storageCall(`creating a generation of ${name}`, async () => {
      for (;;) {
        const next = await this.pointer.next(name);
        if (!(await this.tableExists(this.tableFor(name, next)))) return next;
      }
    });
  }

  private async tableExists(table: string): Promise<boolean> {
    return orMissing(`describing ${table}`, async () => {
      await this.client.send(new DescribeTableCommand({ TableName: table }));
      return true;
    }, false);
  }

  async promote(name: string, generation: number): Promise<void> {
    return this.pointer.promote(this.known(name), generation);
  }

  async dropGeneration(name: string, generation: number): Promise<void> {
    if (generation === (await this.liveGeneration(name))) {
      throw new InvalidArgumentError('generation', `generation ${generation} of ${name} is live: promote another one before dropping it`);
    }
    const table = this.tableFor(name, generation);
    this.ensured.delete(table);
    await storageCall(`dropping ${table}`, async () => {
      // The stack creates generation 1 with deletion protection; dropping a generation is the deliberate delete it guards.
      await removeDeletionProtection(this.client, table, { initialDelayMs: 100 });
      await deleteTable(this.client, table, { initialDelayMs: 100 });
      await this.pointer.markDropped(name, generation);
    });
  }

  async noteForeignFold(name: string, generation: number, fold: ForeignFold): Promise<void> {
    return storageCall(`recording a fold with other rules into ${name} generation ${generation}`, async () => {
      const table = await this.writable(this.known(name), generation);
      // The first fold's rules and time stay (since when, and by whom); the events add up. ADD is safe to race.
      await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
        TableName: table, Key: { [P.pk]: str(`${X.meta}foreign-fold`) },
        UpdateExpression: 'SET #r = if_not_exists(#r, :r), #t = if_not_exists(#t, :t) ADD #n :n',
        ExpressionAttributeNames: { '#r': 'rules', '#t': 'firstAt', '#n': 'events' },
        ExpressionAttributeValues: { ':r': str(fold.rules), ':t': num(fold.firstAt), ':n': num(fold.events) },
      })));
    });
  }

  async foreignFold(name: string, generation: number): Promise<ForeignFold | undefined> {
    const item = await getItem(this.tables, this.known(name), generation, `${X.meta}foreign-fold`);
    return item ? { rules: readStr(item, 'rules'), firstAt: readNum(item, 'firstAt'), events: readNum(item, 'events') } : undefined;
  }

  async getCheckpoint(name: string, generation: number): Promise<JsonObject | undefined> {
    const item = await getItem(this.tables, this.known(name), generation, `${X.meta}checkpoint`);
    return item ? (JSON.parse(readStr(item, P.json)) as JsonObject) : undefined;
  }

  async setCheckpoint(name: string, generation: number, checkpoint: JsonObject): Promise<void> {
    return storageCall(`writing the checkpoint of ${name} generation ${generation}`, async () => {
      const table = await this.writable(this.known(name), generation);
      await withRetries('PutItem', () => this.client.send(new PutItemCommand({
        TableName: table, Item: { [P.pk]: str(`${X.meta}checkpoint`), [P.json]: str(JSON.stringify(checkpoint)) },
      })));
    });
  }
}
