// The conditional write of `repair index --target aws`'s account re-derivation: an entry's accounts and its two
// account-GSI keys (acct0, acct1) set together, only while the item still holds the accounts the repair read.

import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorName, readStrList, str, strList, withRetries, type Item } from './dynamodb-codec.ts';
import { INDEX_ATTR as A } from './table-keys.ts';

/** What became of one entry whose stored accounts differed from the derived ones. */
export type AccountsUpdate = 'updated' | 'already-right' | 'changed-concurrently' | 'gone';

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Set the accounts of the entry at `key` to `derived`, conditioned on the item still holding `stored`. Why the
 * condition: another writer (a second repair, an indexer of another schema set) may have set them since the scan;
 * its write wins. A lost condition is re-read once: the item already holding `derived` counts as already right, an
 * item holding other accounts is left as that writer put them (reported, so a re-run can look again).
 */
export async function updateAccounts(client: DynamoDBClient, table: string, key: Item, stored: readonly string[], derived: readonly string[]): Promise<AccountsUpdate> {
  if (same(stored, derived)) return 'already-right';
  try {
    await withRetries(`updating the accounts of ${key[A.sortKey]?.S ?? '?'}`, () => client.send(new UpdateItemCommand(accountsUpdate(table, key, stored, derived))));
    return 'updated';
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
  }
  const now = await withRetries('re-reading an index entry', () => client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true })));
  if (!now.Item) return 'gone';
  return same(readStrList(now.Item, A.accounts), derived) ? 'already-right' : 'changed-concurrently';
}

/** The UpdateItem input: accounts list and GSI keys (absent keys removed, so the sparse GSIs drop the entry). */
function accountsUpdate(table: string, key: Item, stored: readonly string[], derived: readonly string[]) {
  const names: Record<string, string> = { '#pk': A.hour, '#a': A.accounts, '#a0': A.account0, '#a1': A.account1 };
  const values: Item = { ':old': strList(stored), ':new': strList(derived) };
  const set = ['#a = :new'];
  const remove: string[] = [];
  (['#a0', '#a1'] as const).forEach((ph, i) => {
    const account = derived[i];
    if (account === undefined) remove.push(ph);
    else { set.push(`${ph} = :acct${i}`); values[`:acct${i}`] = str(account); }
  });
  return {
    TableName: table, Key: key,
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: 'attribute_exists(#pk) AND #a = :old',
    ExpressionAttributeNames: names, ExpressionAttributeValues: values,
  };
}
