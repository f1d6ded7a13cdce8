// DynamoDbCheckpointStore: named positions (dispatch tails, indexer progress) as items of the control table.

import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import { errorName, num, storageCall, str, withRetries } from './dynamodb-codec.ts';
import { CONTROL_ATTR as C, CONTROL_PREFIX } from './table-keys.ts';

export interface DynamoDbCheckpointStoreOptions {
  readonly client: DynamoDBClient;
  /** The control table (CONTROL_TABLE in table-keys.ts). */
  readonly controlTableName: string;
}

/**
 * Checkpoints on DynamoDB: one item per name (`pk = CHECKPOINT`, `sk = <name>`), read consistently.
 *
 * @example
 * const checkpoints = new DynamoDbCheckpointStore({ client, controlTableName: 'eventlake-control' });
 * const from = await checkpoints.get('dispatch'); // 0 when never set
 * await checkpoints.set('dispatch', page.next);
 * await checkpoints.compareAndSet('rebuild:lease:balances', 0, lease); // false: the item holds another value
 */
export class DynamoDbCheckpointStore implements CheckpointStore {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(options: DynamoDbCheckpointStoreOptions) {
    this.client = options.client;
    this.table = options.controlTableName;
  }

  private key(name: string) {
    return { [C.pk]: str(CONTROL_PREFIX.checkpoint), [C.sk]: str(name) };
  }

  get(name: string): Promise<number> {
    return storageCall(`reading checkpoint ${name}`, async () => {
      const out = await withRetries('GetItem', () => this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key(name), ConsistentRead: true })));
      return Number(out.Item?.[C.position]?.N ?? 0);
    });
  }

  set(name: string, position: number): Promise<void> {
    return storageCall(`writing checkpoint ${name}`, async () => {
      await withRetries('PutItem', () => this.client.send(new PutItemCommand({ TableName: this.table, Item: { ...this.key(name), [C.position]: num(position) } })));
    });
  }

  /**
   * A conditional PutItem: DynamoDB evaluates the condition and writes in one step, and answers a failed condition
   * with ConditionalCheckFailedException, which is false here. From 0, an item without a position also matches.
   * Why the caveat of the port applies: a throttled attempt is retried, and one that landed but timed out reads
   * back as a failed condition.
   */
  compareAndSet(name: string, expected: number, next: number): Promise<boolean> {
    return storageCall(`compare-and-set of checkpoint ${name}`, async () => {
      const condition = expected === 0 ? 'attribute_not_exists(#p) OR #p = :expected' : '#p = :expected';
      try {
        await withRetries('PutItem', () => this.client.send(new PutItemCommand({
          TableName: this.table, Item: { ...this.key(name), [C.position]: num(next) },
          ConditionExpression: condition, ExpressionAttributeNames: { '#p': C.position }, ExpressionAttributeValues: { ':expected': num(expected) },
        })));
        return true;
      } catch (error) {
        if (errorName(error) === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    });
  }
}
