// Identity claims on S3: one item per event identity in the control table, written before the event's object, so one
// identity can never be stored at two keys with different content.
//
// Why: an object's key holds its event's hour, so S3's conditional PUT only guards one key. The same RequestId sent
// again with another EventTimeStamp (another hour) used to be stored beside the first while the indexer had not yet
// indexed it (seconds; hours while the indexer fails): both emits answered "stored". A conditional write on the
// identity (attribute_not_exists) is what makes the first writer win across keys. Timeline of a crash:
//   claim written → crash before PutObject → the same event sent again finds its own claim (same key and digest)
//   and finishes the PUT; other content sent under the identity is refused, naming the claimed key.

import { DeleteItemCommand, GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventConflictError, TransientError } from '../../domain/errors.ts';
import {
  backoff, cancellationCodes, errorName, isTransient, readOptStr, storageCall, str, TRANSIENT_CANCELLATIONS, withRetries, type Item,
} from './dynamodb-codec.ts';
import { mapLimit } from './retry.ts';
import { CONTROL_ATTR as C } from './table-keys.ts';

/** Partition-key prefix of claim items in the control table (`pk = CLAIM#<event id>`, `sk = #`); IAM scopes emitters to it. */
export const IDENTITY_CLAIM_PREFIX = 'CLAIM#';

/** DynamoDB's limit of actions in one TransactWriteItems. */
const ACTIONS_PER_TRANSACTION = 100;
const ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Attributes of a claim item: the object key the identity is stored at, and the content digest of its event. */
const ATTR = { key: 'objectKey', digest: 'digest' } as const;

/** One identity to claim: its id, the key its object goes to, and `contentDigest` of its canonical bytes. */
export interface IdentityClaim {
  readonly id: string;
  readonly key: string;
  readonly digest: string;
}

export interface DynamoDbIdentityClaimsOptions {
  readonly client: DynamoDBClient;
  /** The stack's control table. */
  readonly tableName: string;
  /** Transactions of up to 100 claims in flight at once (default 4). */
  readonly concurrency?: number;
}

/**
 * Claims of event identities, written before their objects (S3EventLog's `claims` option).
 *
 * @example
 * const claims = new DynamoDbIdentityClaims({ client, tableName: 'eventlake-control' });
 * await claims.claim([{ id, key, digest }]); // EventConflictError if the id is claimed with another key or content
 */
export class DynamoDbIdentityClaims {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly concurrency: number;

  constructor(options: DynamoDbIdentityClaimsOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.concurrency = options.concurrency ?? 4;
  }

  /**
   * Claim every identity (distinct ids), or none: a claim held with the same key and digest is ours to use (a resend,
   * or a PUT a crash cut short); one held with another key or digest is an EventConflictError naming the claimed key,
   * after the claims this call wrote are taken back, so a refused batch leaves nothing behind. One TransactWriteItems
   * per 100 identities (all-or-nothing: a failed condition cancels the whole transaction and names the item).
   */
  async claim(claims: readonly IdentityClaim[]): Promise<void> {
    const chunks = Array.from({ length: Math.ceil(claims.length / ACTIONS_PER_TRANSACTION) }, (_, i) => claims.slice(i * ACTIONS_PER_TRANSACTION, (i + 1) * ACTIONS_PER_TRANSACTION));
    const outcomes = await mapLimit(chunks, this.concurrency, (chunk) => storageCall(`claiming ${chunk.length} identities`, () => this.claimChunk(chunk)));
    const conflict = outcomes.find((o) => o.conflict)?.conflict;
    if (!conflict) return;
    await mapLimit(outcomes.flatMap((o) => o.written), this.concurrency, (c) => this.release(c));
    throw conflict;
  }

  private key(id: string): Item {
    return { [C.pk]: str(`${IDENTITY_CLAIM_PREFIX}${id}`), [C.sk]: str('#') };
  }

  /** One transaction of claims; the ones held already are read and either ours (dropped, sent again) or a conflict. */
  private async claimChunk(chunk: readonly IdentityClaim[]): Promise<{ written: readonly IdentityClaim[]; conflict?: EventConflictError }> {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({
          TransactItems: pending.map((c) => ({ Put: {
            TableName: this.table, Item: { ...this.key(c.id), [ATTR.key]: str(c.key), [ATTR.digest]: str(c.digest) },
            ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': C.pk },
          } })),
        }));
        return { written: pending };
      } catch (error) {
        const codes = cancellationCodes(error);
        const held = pending.filter((_, i) => codes?.[i] === 'ConditionalCheckFailed');
        // Held already: by an earlier emit, or by this transaction itself, replayed after its answer was lost.
        for (const c of held) {
          const verdict = await this.compareHeld(c);
          if (verdict instanceof EventConflictError) return { written: [], conflict: verdict };
          if (verdict === 'ours') pending = pending.filter((p) => p !== c);
        }
        if (held.length > 0) continue;
        if (!(codes?.some((c) => TRANSIENT_CANCELLATIONS.has(c)) || isTransient(error))) throw error;
        if (attempt + 1 >= ATTEMPTS) throw new TransientError(`claiming ${pending.length} identities failed after ${ATTEMPTS} attempts: ${codes?.join(',') ?? errorName(error)}: retry the emit`, { cause: error });
        await sleep(backoff(attempt, 50));
      }
    }
    return { written: [] };
  }

  /** The claim held for `c.id`: ours (same key and digest), gone since (a refused batch took it back), or a conflict. */
  private async compareHeld(c: IdentityClaim): Promise<'ours' | 'gone' | EventConflictError> {
    const out = await withRetries('GetItem', () => this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key(c.id), ConsistentRead: true })));
    if (!out.Item) return 'gone';
    const heldKey = readOptStr(out.Item, ATTR.key);
    if (heldKey === c.key && readOptStr(out.Item, ATTR.digest) === c.digest) return 'ours';
    return new EventConflictError(c.id, heldKey ?? c.key);
  }

  /** Take back a claim this call wrote, only while it is still ours (same digest). */
  private async release(c: IdentityClaim): Promise<void> {
    await storageCall(`releasing the claim of ${c.id}`, () => withRetries('DeleteItem', () => this.client.send(new DeleteItemCommand({
      TableName: this.table, Key: this.key(c.id), ConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': ATTR.digest }, ExpressionAttributeValues: { ':d': str(c.digest) },
    }))).catch((error: unknown) => { if (errorName(error) !== 'ConditionalCheckFailedException') throw error; }));
  }
}
