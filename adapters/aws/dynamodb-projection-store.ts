// DynamoDbProjectionStore: projections on DynamoDB, one table per projection generation, live pointer in a control table.

import { DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { ApplyOptions, ApplyOutcome, ProjectionStore, StoredRow } from '../../domain/ports/projection-store.ts';
import { eventId } from '../../domain/event.ts';
import { emptyState, type Projection, type ProjectionState } from '../../domain/projection.ts';
import { errorName, num, queryItems, readBigInt, readStr, scanItems, storageCall, storageError, str, withRetries, type Item } from './dynamodb-codec.ts';
import { applyEvent } from './dynamodb-projection-apply.ts';
import { deleteTable, ensureTable, removeDeletionProtection, type TableSettings } from './dynamodb-tables.ts';
import {
  CONTROL_ATTR as C, CONTROL_PREFIX, PROJECTION_ATTR as P, PROJECTION_GSI, PROJECTION_PREFIX as X, PROJECTION_TABLE, projectionTableName,
} from './table-keys.ts';

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
  private readonly control: string;
  readonly tableFor: (name: string, generation: number) => string;
  private readonly createTables: boolean;
  private readonly maxAttempts: number;
  private readonly tableSettings: TableSettings;
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(options: DynamoDbProjectionStoreOptions) {
    this.client = options.client;
    this.control = options.controlTableName;
    const prefix = options.tablePrefix ?? 'eventlake';
    this.tableFor = options.tableFor ?? ((name, generation) => projectionTableName(prefix, name, generation));
    this.createTables = options.createTables ?? true;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.tableSettings = options.tableSettings ?? {};
  }

  private async writable(name: string, generation: number): Promise<string> {
    const table = this.tableFor(name, generation);
    if (!this.ensured.has(table)) {
      const ready = (async () => {
        await this.noteGeneration(name, generation);
        if (this.createTables) await ensureTable(this.client, table, PROJECTION_TABLE, { initialDelayMs: 100, ...this.tableSettings });
      })();
      this.ensured.set(table, ready.catch((e: unknown) => { this.ensured.delete(table); throw e; }));
    }
    await this.ensured.get(table);
    return table;
  }

  /** Raise the latest generation number to `generation`, so createGeneration never hands out one that holds data. */
  private async noteGeneration(name: string, generation: number): Promise<void> {
    try {
      await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
        TableName: this.control, Key: this.pointerKey(name), UpdateExpression: 'SET #latest = :g',
        ConditionExpression: 'attribute_not_exists(#latest) OR #latest < :g',
        ExpressionAttributeNames: { '#latest': C.latest }, ExpressionAttributeValues: { ':g': num(generation) },
      })));
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async apply(projection: Projection, generation: number, events: readonly DomainEvent[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
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

  private async getItem(name: string, generation: number, pk: string): Promise<Item | undefined> {
    return orMissing(`reading ${pk} of ${name} generation ${generation}`, async () => (await withRetries('GetItem', () => this.client.send(new GetItemCommand({
      TableName: this.tableFor(name, generation), Key: { [P.pk]: str(pk) }, ConsistentRead: true,
    })))).Item, undefined);
  }

  async counter(name: string, generation: number, key: string): Promise<bigint | undefined> {
    const item = await this.getItem(name, generation, X.counter + key);
    return item ? readBigInt(item, P.counterValue) : undefined;
  }

  async counters(name: string, generation: number): Promise<Map<string, bigint>> {
    return (await this.readState(name, generation)).counters;
  }

  async rows(name: string, generation: number, partition: string): Promise<StoredRow[]> {
    return orMissing(`reading rows of ${name} generation ${generation}`, async () => {
      const out: StoredRow[] = [];
      for await (const item of queryItems(this.client, {
        TableName: this.tableFor(name, generation), IndexName: PROJECTION_GSI.byPartition, KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': P.rowPartition }, ExpressionAttributeValues: { ':p': str(partition) },
      })) out.push({ key: readStr(item, P.rowKey), partition, value: JSON.parse(readStr(item, P.json)) as JsonObject });
      return out;
    }, []);
  }

  async readState(name: string, generation: number): Promise<ProjectionState> {
    return orMissing(`reading ${name} generation ${generation}`, async () => {
      const state = emptyState();
      for await (const item of scanItems(this.client, { TableName: this.tableFor(name, generation), ConsistentRead: true })) {
        const pk = readStr(item, P.pk);
        if (pk.startsWith(X.counter)) state.counters.set(pk.slice(X.counter.length), readBigInt(item, P.counterValue));
        else if (pk.startsWith(X.row)) state.rows.set(readStr(item, P.rowKey), { partition: readStr(item, P.rowPartition), value: JSON.parse(readStr(item, P.json)) as JsonObject });
        else if (pk.startsWith(X.applied)) {
          const id = pk.slice(X.applied.length);
          const memo = item[P.memo]?.S;
          state.applied.set(id, { id, memo: memo === undefined ? null : (JSON.parse(memo) as JsonObject) });
        }
      }
      return state;
    }, emptyState());
  }

  async appliedRecord(name: string, generation: number, id: string): Promise<{ replay: boolean } | undefined> {
    const item = await this.getItem(name, generation, X.applied + id);
    return item ? { replay: item[P.replay]?.BOOL ?? false } : undefined;
  }

  private pointerKey(name: string): Item {
    return { [C.pk]: str(CONTROL_PREFIX.generation + name), [C.sk]: str('#') };
  }

  liveGeneration(name: string): Promise<number> {
    return storageCall(`reading the live generation of ${name}`, async () => Number((await this.pointer(name))?.[C.live]?.N ?? 1));
  }

  listGenerations(name: string): Promise<number[]> {
    return storageCall(`listing the generations of ${name}`, async () => {
      const item = await this.pointer(name);
      // Numbers are handed out in order and never again once dropped: every one up to the latest exists unless dropped.
      const dropped = new Set((item?.[C.dropped]?.NS ?? []).map(Number));
      return Array.from({ length: Number(item?.[C.latest]?.N ?? 1) }, (_, i) => i + 1).filter((g) => !dropped.has(g));
    });
  }

  private async pointer(name: string) {
    return (await withRetries('GetItem', () => this.client.send(new GetItemCommand({ TableName: this.control, Key: this.pointerKey(name), ConsistentRead: true })))).Item;
  }

  createGeneration(name: string): Promise<number> {
    // Generation 1 exists implicitly; the counter only grows, so a dropped number is never handed out again, and a
    // number whose table already exists (written to without being created) is passed over.
    return storageCall(`creating a generation of ${name}`, async () => {
      for (;;) {
        const out = await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
          TableName: this.control, Key: this.pointerKey(name),
          UpdateExpression: 'SET #latest = if_not_exists(#latest, :one) + :one, #live = if_not_exists(#live, :one)',
          ExpressionAttributeNames: { '#latest': C.latest, '#live': C.live }, ExpressionAttributeValues: { ':one': num(1) },
          ReturnValues: 'UPDATED_NEW',
        })));
        const next = Number(out.Attributes?.[C.latest]?.N);
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
    if (!Number.isInteger(generation) || generation < 1) throw new InvalidArgumentError('generation', `${generation} is not a generation number`);
    try {
      await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
        TableName: this.control, Key: this.pointerKey(name), UpdateExpression: 'SET #live = :g',
        ConditionExpression: '((attribute_not_exists(#latest) AND :g = :one) OR #latest >= :g) AND NOT contains(#dropped, :g)',
        ExpressionAttributeNames: { '#latest': C.latest, '#live': C.live, '#dropped': C.dropped },
        ExpressionAttributeValues: { ':g': num(generation), ':one': num(1) },
      })));
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw storageError(`promoting ${name} generation ${generation}`, error);
      throw new InvalidArgumentError('generation', `projection ${name} has no generation ${generation}: create it with createGeneration first`);
    }
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
      // Remembered so that promote refuses it; its number is never handed out again either.
      await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
        TableName: this.control, Key: this.pointerKey(name), UpdateExpression: 'ADD #dropped :g',
        ExpressionAttributeNames: { '#dropped': C.dropped }, ExpressionAttributeValues: { ':g': { NS: [String(generation)] } },
      })));
    });
  }

  async getCheckpoint(name: string, generation: number): Promise<JsonObject | undefined> {
    const item = await this.getItem(name, generation, `${X.meta}checkpoint`);
    return item ? (JSON.parse(readStr(item, P.json)) as JsonObject) : undefined;
  }

  setCheckpoint(name: string, generation: number, checkpoint: JsonObject): Promise<void> {
    return storageCall(`writing the checkpoint of ${name} generation ${generation}`, async () => {
      const table = await this.writable(name, generation);
      await withRetries('PutItem', () => this.client.send(new PutItemCommand({
        TableName: table, Item: { [P.pk]: str(`${X.meta}checkpoint`), [P.json]: str(JSON.stringify(checkpoint)) },
      })));
    });
  }
}

/** A generation whose table does not exist (never written, or dropped) reads as empty; other failures are mapped. */
async function orMissing<T>(what: string, read: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return empty;
    throw storageError(what, error);
  }
}
