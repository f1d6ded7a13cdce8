// The claim items of DynamoDbIdentityClaims, and what a claim found held already means for the call that met it.
//
// Why a claim is taken over rather than only read: a call that relies on a claim another call created (the same event,
// sent twice at once) writes its own token into it, so the creator's rollback (conditional on its token) cannot delete
// it. Timeline without that: B creates the claim, A finds it and PUTs, B's batch is refused and deletes the claim:
// A's event is stored with no claim, and other content under its identity could be stored in another hour.

import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventConflictError } from '../../domain/errors.ts';
import { errorName, num, readOptStr, str, withRetries, type Item } from './dynamodb-codec.ts';
import { CONTROL_ATTR } from './table-keys.ts';

/** Partition-key prefix of claim items in the control table (`pk = CLAIM#<event id>`, `sk = #`); IAM scopes emitters to it. */
export const IDENTITY_CLAIM_PREFIX = 'CLAIM#';

/**
 * Attributes of a claim item: the object key the identity is stored at, the content digest of its event, the token of
 * the call that holds it (claims written before tokens have none) and when it was claimed (epoch ms; none before).
 */
export const CLAIM_ATTR = { pk: CONTROL_ATTR.pk, sk: CONTROL_ATTR.sk, key: 'objectKey', digest: 'digest', token: 'claimToken', at: 'claimedAt' } as const;

/** Whether the object a claim names holds its event (S3EventLog: the key, or a compacted segment of its hour). */
export type ClaimedObjectExists = (key: string) => Promise<boolean>;

/** Where claims live, and when a claim whose object is missing counts as a crashed writer's. */
export interface ClaimTable {
  readonly client: DynamoDBClient;
  readonly name: string;
  readonly staleAfterMs: number;
  readonly now: () => number;
}

interface Claim { readonly id: string; readonly key: string; readonly digest: string }
interface Held { readonly key: string | undefined; readonly digest: string | undefined; readonly token: string | undefined; readonly at: number }

export function claimKey(id: string): Item {
  return { [CLAIM_ATTR.pk]: str(`${IDENTITY_CLAIM_PREFIX}${id}`), [CLAIM_ATTR.sk]: str('#') };
}

export function claimItem(c: Claim, token: string, at: number): Item {
  return { ...claimKey(c.id), [CLAIM_ATTR.key]: str(c.key), [CLAIM_ATTR.digest]: str(c.digest), [CLAIM_ATTR.token]: str(token), [CLAIM_ATTR.at]: num(at) };
}

/**
 * What the claim held for `c.id` is to the call with `token`: `created` (its own: a transaction replayed after its answer
 * was lost, or a crashed writer's claim it replaced), `adopted` (the same key and digest, now carrying its token),
 * `gone` (deleted or changed meanwhile: claim again), or the EventConflictError naming the claimed key.
 */
export async function settleHeld(table: ClaimTable, c: Claim, token: string, objectExists: ClaimedObjectExists | undefined): Promise<'created' | 'adopted' | 'gone' | EventConflictError> {
  const out = await withRetries('GetItem', () => table.client.send(new GetItemCommand({ TableName: table.name, Key: claimKey(c.id), ConsistentRead: true })));
  if (!out.Item) return 'gone';
  const held = readHeld(out.Item);
  if (held.token === token) return 'created';
  if (held.key === c.key && held.digest === c.digest) return (await takeOver(table, c, held, token)) ? 'adopted' : 'gone';
  if (held.key !== undefined && objectExists && table.now() - held.at >= table.staleAfterMs && !(await objectExists(held.key))) {
    return (await takeOver(table, c, held, token)) ? 'created' : 'gone';
  }
  return new EventConflictError(c.id, held.key ?? c.key);
}

function readHeld(item: Item): Held {
  const at = item[CLAIM_ATTR.at]?.N;
  return { key: readOptStr(item, CLAIM_ATTR.key), digest: readOptStr(item, CLAIM_ATTR.digest), token: readOptStr(item, CLAIM_ATTR.token), at: at === undefined ? 0 : Number(at) };
}

/**
 * Write `c` with `token` over the claim as it was read, or nothing if it changed since: of two calls taking over one
 * claim only one wins, and the other reads the winner's claim when it claims again.
 */
async function takeOver(table: ClaimTable, c: Claim, held: Held, token: string): Promise<boolean> {
  const names = { '#k': CLAIM_ATTR.key, '#d': CLAIM_ATTR.digest, '#t': CLAIM_ATTR.token };
  const values = { ':k': str(held.key ?? ''), ':d': str(held.digest ?? ''), ...(held.token !== undefined ? { ':t': str(held.token) } : {}) };
  try {
    await withRetries('PutItem', () => table.client.send(new PutItemCommand({
      TableName: table.name, Item: claimItem(c, token, table.now()), ExpressionAttributeNames: names, ExpressionAttributeValues: values,
      ConditionExpression: `#k = :k AND #d = :d AND ${held.token !== undefined ? '#t = :t' : 'attribute_not_exists(#t)'}`,
    })));
    return true;
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
