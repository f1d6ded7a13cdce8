// Identity claims on S3: one item per event identity in the control table, written before the event's object, so one
// identity can never be stored at two keys with different content.
//
// Why: an object's key holds its event's hour, so S3's conditional PUT only guards one key. The same RequestId sent
// again with another EventTimeStamp (another hour) used to be stored beside the first while the indexer had not yet
// indexed it (seconds; hours while the indexer fails): both emits answered "stored". A conditional write on the
// identity (attribute_not_exists) is what makes the first writer win across keys. Timeline of a crash:
//   claim written → crash before PutObject → the same event sent again finds its own claim (same key and digest)
//   and finishes the PUT; other content sent once the claim is older than `staleAfterMs` finds no object at the
//   claimed key and replaces the claim (dynamodb-identity-claim-items.ts), so a crash does not refuse the identity forever.

import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventConflictError, TransientError } from '../../domain/errors.ts';
import {
  backoff, cancellationCodes, errorName, isTransient, storageCall, str, TRANSIENT_CANCELLATIONS, withRetries,
} from './dynamodb-codec.ts';
import { CLAIM_ATTR as ATTR, claimItem, claimKey, settleHeld, type ClaimedObjectExists, type ClaimTable } from './dynamodb-identity-claim-items.ts';
import { mapLimit } from './retry.ts';

export { IDENTITY_CLAIM_PREFIX, type ClaimedObjectExists } from './dynamodb-identity-claim-items.ts';

/** DynamoDB's limit of actions in one TransactWriteItems. */
const ACTIONS_PER_TRANSACTION = 100;
const ATTEMPTS = 6;
/** Claims found held, read (and taken over) at once: a resent batch of 100 meets 100. */
const SETTLING = 16;
/** How long a claim whose object is missing is left to its writer's PUT by default. */
const STALE_AFTER_MS = 5 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  /**
   * Age (ms) after which a claim whose object does not exist counts as a crashed writer's and may be replaced by other
   * content (default 5 minutes). Younger ones are left to their writer's PUT, which may still be on its way; keep it
   * above the longest PutObject plus the clock skew between emitters (the age is read from the emitters' clocks).
   * openAwsEventlake takes it from the config's `identityClaims.staleAfterMs` (a config file's too).
   */
  readonly staleAfterMs?: number;
  /** Epoch ms (default Date.now), recorded with each claim. */
  readonly now?: () => number;
}

/**
 * Claims of event identities, written before their objects (S3EventLog's `claims` option).
 *
 * @example
 * const claims = new DynamoDbIdentityClaims({ client, tableName: 'eventlake-control' });
 * await claims.claim([{ id, key, digest }]); // EventConflictError if the id is claimed with another key or content
 */
export class DynamoDbIdentityClaims {
  private readonly table: ClaimTable;
  private readonly concurrency: number;

  constructor(options: DynamoDbIdentityClaimsOptions) {
    this.table = { client: options.client, name: options.tableName, staleAfterMs: options.staleAfterMs ?? STALE_AFTER_MS, now: options.now ?? Date.now };
    this.concurrency = options.concurrency ?? 4;
  }

  /**
   * Claim every identity (distinct ids), or none: a claim held with the same key and digest is ours to use (a resend,
   * or a PUT a crash cut short); one held with another key or digest is an EventConflictError naming the claimed key,
   * after the claims this call created are taken back, so a refused batch leaves nothing behind. With `objectExists`
   * (how the log tells whether a claimed key holds its event), a conflicting claim older than `staleAfterMs` whose
   * object does not exist is replaced instead. One TransactWriteItems per 100 identities.
   */
  async claim(claims: readonly IdentityClaim[], objectExists?: ClaimedObjectExists): Promise<void> {
    // Marks the claims this call wrote: a rollback deletes only those still carrying it, never a claim another call
    // created or has come to rely on since (it takes the claim over with its own token: dynamodb-identity-claim-items.ts).
    const token = randomUUID();
    const chunks = Array.from({ length: Math.ceil(claims.length / ACTIONS_PER_TRANSACTION) }, (_, i) => claims.slice(i * ACTIONS_PER_TRANSACTION, (i + 1) * ACTIONS_PER_TRANSACTION));
    const outcomes = await mapLimit(chunks, this.concurrency, (chunk) => storageCall(`claiming ${chunk.length} identities`, () => this.claimChunk(chunk, token, objectExists)));
    const conflict = outcomes.find((o) => o.conflict)?.conflict;
    if (!conflict) return;
    await mapLimit(outcomes.flatMap((o) => o.created), this.concurrency, (c) => this.release(c, token));
    throw conflict;
  }

  /** One transaction of claims; the ones held already are settled (dynamodb-identity-claim-items.ts) and the rest sent again. */
  private async claimChunk(chunk: readonly IdentityClaim[], token: string, objectExists: ClaimedObjectExists | undefined):
    Promise<{ created: readonly IdentityClaim[]; conflict?: EventConflictError }> {
    let pending = chunk;
    const created: IdentityClaim[] = [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        const at = this.table.now();
        await this.table.client.send(new TransactWriteItemsCommand({
          TransactItems: pending.map((c) => ({ Put: {
            TableName: this.table.name, Item: claimItem(c, token, at), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': ATTR.pk },
          } })),
        }));
        return { created: [...created, ...pending] };
      } catch (error) {
        const codes = cancellationCodes(error);
        const held = pending.filter((_, i) => codes?.[i] === 'ConditionalCheckFailed');
        const verdicts = await mapLimit(held, SETTLING, (c) => settleHeld(this.table, c, token, objectExists));
        const settled = new Set(held.filter((_, i) => verdicts[i] !== 'gone'));
        created.push(...held.filter((_, i) => verdicts[i] === 'created'));
        const conflict = verdicts.find((v) => v instanceof EventConflictError);
        if (conflict) return { created, conflict };
        pending = pending.filter((p) => !settled.has(p));
        if (held.length > 0) continue;
        if (!(codes?.some((c) => TRANSIENT_CANCELLATIONS.has(c)) || isTransient(error))) throw error;
        if (attempt + 1 >= ATTEMPTS) throw new TransientError(`claiming ${pending.length} identities failed after ${ATTEMPTS} attempts: ${codes?.join(',') ?? errorName(error)}: retry the emit`, { cause: error });
        await sleep(backoff(attempt, 50));
      }
    }
    return { created };
  }

  /** Take back a claim this call created, only while it still carries this call's token and digest. */
  private async release(c: IdentityClaim, token: string): Promise<void> {
    await storageCall(`releasing the claim of ${c.id}`, () => withRetries('DeleteItem', () => this.table.client.send(new DeleteItemCommand({
      TableName: this.table.name, Key: claimKey(c.id), ConditionExpression: '#t = :t AND #d = :d',
      ExpressionAttributeNames: { '#t': ATTR.token, '#d': ATTR.digest }, ExpressionAttributeValues: { ':t': str(token), ':d': str(c.digest) },
    }))).catch((error: unknown) => { if (errorName(error) !== 'ConditionalCheckFailedException') throw error; }));
  }
}
