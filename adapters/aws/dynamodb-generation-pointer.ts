// The control table's generation pointer of each projection (DynamoDbProjectionStore): the live generation, the
// latest number handed out, and the dropped ones.

import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { errorName, num, storageCall, storageError, str, withRetries, type Item } from './dynamodb-codec.ts';
import { CONTROL_ATTR as C, CONTROL_PREFIX } from './table-keys.ts';

/**
 * One item per projection in the control table. Generation 1 exists implicitly (no item yet); numbers only grow, so
 * a dropped number is never handed out again.
 */
export class GenerationPointer {
  constructor(private readonly client: DynamoDBClient, private readonly control: string) {}

  /** Raise the latest generation number to `generation`, so createGeneration never hands out one that holds data. */
  async note(name: string, generation: number): Promise<void> {
    try {
      await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
        TableName: this.control, Key: this.key(name), UpdateExpression: 'SET #latest = :g',
        ConditionExpression: 'attribute_not_exists(#latest) OR #latest < :g',
        ExpressionAttributeNames: { '#latest': C.latest }, ExpressionAttributeValues: { ':g': num(generation) },
      })));
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** The live generation (1 until another is promoted). */
  live(name: string): Promise<number> {
    return storageCall(`reading the live generation of ${name}`, async () => Number((await this.read(name))?.[C.live]?.N ?? 1));
  }

  /** Every generation not dropped, oldest first. */
  list(name: string): Promise<number[]> {
    return storageCall(`listing the generations of ${name}`, async () => {
      const item = await this.read(name);
      // Numbers are handed out in order and never again once dropped: every one up to the latest exists unless dropped.
      const dropped = new Set((item?.[C.dropped]?.NS ?? []).map(Number));
      return Array.from({ length: Number(item?.[C.latest]?.N ?? 1) }, (_, i) => i + 1).filter((g) => !dropped.has(g));
    });
  }

  /** Hand out the next generation number (the caller passes over one whose table already exists). */
  async next(name: string): Promise<number> {
    const out = await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
      TableName: this.control, Key: this.key(name),
      UpdateExpression: 'SET #latest = if_not_exists(#latest, :one) + :one, #live = if_not_exists(#live, :one)',
      ExpressionAttributeNames: { '#latest': C.latest, '#live': C.live }, ExpressionAttributeValues: { ':one': num(1) },
      ReturnValues: 'UPDATED_NEW',
    })));
    return Number(out.Attributes?.[C.latest]?.N);
  }

  /** Make `generation` the live one; refuses (InvalidArgumentError) one never handed out or dropped. */
  async promote(name: string, generation: number): Promise<void> {
    if (!Number.isInteger(generation) || generation < 1) throw new InvalidArgumentError('generation', `${generation} is not a generation number`);
    try {
      await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
        TableName: this.control, Key: this.key(name), UpdateExpression: 'SET #live = :g',
        ConditionExpression: '((attribute_not_exists(#latest) AND :g = :one) OR #latest >= :g) AND NOT contains(#dropped, :g)',
        ExpressionAttributeNames: { '#latest': C.latest, '#live': C.live, '#dropped': C.dropped },
        ExpressionAttributeValues: { ':g': num(generation), ':one': num(1) },
      })));
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') throw storageError(`promoting ${name} generation ${generation}`, error);
      throw new InvalidArgumentError('generation', `projection ${name} has no generation ${generation}: create it with createGeneration first`);
    }
  }

  /** Remembered so that promote refuses it; its number is never handed out again either. */
  async markDropped(name: string, generation: number): Promise<void> {
    await withRetries('UpdateItem', () => this.client.send(new UpdateItemCommand({
      TableName: this.control, Key: this.key(name), UpdateExpression: 'ADD #dropped :g',
      ExpressionAttributeNames: { '#dropped': C.dropped }, ExpressionAttributeValues: { ':g': { NS: [String(generation)] } },
    })));
  }

  private key(name: string): Item {
    return { [C.pk]: str(CONTROL_PREFIX.generation + name), [C.sk]: str('#') };
  }

  private async read(name: string) {
    return (await withRetries('GetItem', () => this.client.send(new GetItemCommand({ TableName: this.control, Key: this.key(name), ConsistentRead: true })))).Item;
  }
}
