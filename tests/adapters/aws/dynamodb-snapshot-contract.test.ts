// The SnapshotStore contract against DynamoDbPitrSnapshotStore on DynamoDB Local, with PITR emulated.
//
// DynamoDB Local has no point-in-time recovery. The emulator below answers the three PITR calls the store makes:
// DescribeContinuousBackups/UpdateContinuousBackups also copy the table's items at the (test) clock's now, and
// RestoreTableToPointInTime creates the target from the newest copy at or before RestoreDateTime. Every other call
// goes to DynamoDB Local, so markers, table naming, clearing the target and waiting for ACTIVE run for real.
// The exact PITR requests are asserted in dynamodb-pitr-snapshot-store.test.ts.
import {
  DescribeContinuousBackupsCommand, InvalidRestoreTimeException, PutItemCommand, RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { scanItems, type Item } from '../../../adapters/aws/dynamodb-codec.ts';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';
import { DynamoDbProjectionStore } from '../../../adapters/aws/dynamodb-projection-store.ts';
import { ensureTable } from '../../../adapters/aws/dynamodb-tables.ts';
import { CONTROL_TABLE, PROJECTION_TABLE } from '../../../adapters/aws/table-keys.ts';
import { snapshotStoreContract } from '../../contracts/snapshot-store.contract.ts';
import { dynamoDb } from '../../support/dynamodb-local.ts';

function emulatePitr(real: DynamoDBClient, clock: () => number): DynamoDBClient {
  const enabled = new Set<string>();
  const copies = new Map<string, { at: number; items: Item[] }[]>();
  const copy = async (table: string) => {
    const items: Item[] = [];
    for await (const item of scanItems(real, { TableName: table, ConsistentRead: true })) items.push(item);
    copies.set(table, [...(copies.get(table) ?? []), { at: clock(), items }]);
  };
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof DescribeContinuousBackupsCommand) {
      await copy(command.input.TableName!);
      const status = enabled.has(command.input.TableName!) ? 'ENABLED' : 'DISABLED';
      return { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: status } } };
    }
    if (command instanceof UpdateContinuousBackupsCommand) {
      enabled.add(command.input.TableName!);
      await copy(command.input.TableName!);
      return {};
    }
    if (command instanceof RestoreTableToPointInTimeCommand) {
      const { SourceTableName, TargetTableName, RestoreDateTime } = command.input;
      const at = copies.get(SourceTableName!)?.filter((c) => c.at <= RestoreDateTime!.getTime()).at(-1);
      if (!at || !enabled.has(SourceTableName!)) throw new InvalidRestoreTimeException({ message: 'no restorable state', $metadata: {} });
      await ensureTable(real, TargetTableName!, PROJECTION_TABLE, { initialDelayMs: 20, pointInTimeRecovery: false });
      for (const Item of at.items) await real.send(new PutItemCommand({ TableName: TargetTableName!, Item }));
      return {};
    }
    return real.send(command as never);
  };
  return new Proxy(real, { get: (target, p, receiver) => (p === 'send' ? send : Reflect.get(target, p, receiver)) });
}

snapshotStoreContract('DynamoDbPitrSnapshotStore (PITR emulated)', async () => {
  const db = await dynamoDb();
  let now = Date.parse('2024-03-01T12:00:00Z');
  const client = emulatePitr(db.client, () => now);
  const controlTableName = await db.createTable(CONTROL_TABLE, 'control');
  const store = new DynamoDbProjectionStore({ client, controlTableName, tablePrefix: db.uniqueName('snap') });
  const subject = new DynamoDbPitrSnapshotStore({ client, controlTableName, tableFor: store.tableFor, clock: () => now, wait: { initialDelayMs: 20 } });
  return { subject, store, advance: async (ms: number) => { now += ms; } };
});
