// Snapshot markers in a mocked control table and the PITR history DynamoDB reports of each generation's table: what
// the pitr-restorable suites need to tell a marker DynamoDB can still restore from one it would refuse.
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteItemCommand, DescribeContinuousBackupsCommand, DynamoDBClient, QueryCommand, TableNotFoundException,
  type DescribeContinuousBackupsOutput,
} from '@aws-sdk/client-dynamodb';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { DynamoDbPitrSnapshotStore } from '../../../adapters/aws/dynamodb-pitr-snapshot-store.ts';

export const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
/** The mock of every command the store sends. */
export const ddb = mockClient(client);
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const DAY = 86_400_000;
export const tableFor = (n: string, g: number) => `eventlake-${n}-g${g}`;

/** A marker of balances `generation`, taken `daysAgo` days before NOW, with high-water mark `mark`. */
export const marker = (generation: number, daysAgo: number, mark = 10): SnapshotInfo => ({
  id: `balances-g${generation}-${daysAgo}d`, projection: 'balances', generation, takenAt: NOW - daysAgo * DAY, highWaterMark: mark,
});

/** A table with PITR on, restorable from `earliestDaysAgo` days before NOW. */
export const pitrSince = (earliestDaysAgo: number): DescribeContinuousBackupsOutput => ({
  ContinuousBackupsDescription: {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35,
      EarliestRestorableDateTime: new Date(NOW - earliestDaysAgo * DAY), LatestRestorableDateTime: new Date(NOW - 300_000),
    },
  },
});
/** A table whose PITR was turned off. */
export const pitrOff: DescribeContinuousBackupsOutput = {
  ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } },
};

/** The markers (any order) and, by generation, what DescribeContinuousBackups answers; a generation left out is gone. */
export const world = { markers: [] as SnapshotInfo[], tables: new Map<number, DescribeContinuousBackupsOutput>() };

const sk = (s: SnapshotInfo) => `${String(s.takenAt).padStart(13, '0')}#${s.id}`;

/** Empty the fake and install its behaviour: a Query honours the key range, order, Limit and ExclusiveStartKey. */
export function resetWorld(): void {
  ddb.reset();
  world.markers = [];
  world.tables.clear();
  ddb.on(QueryCommand).callsFake((input) => {
    const hi = String(input.ExpressionAttributeValues[':hi'].S);
    const sorted = world.markers.filter((m) => sk(m) < hi).sort((a, b) => (sk(a) < sk(b) ? -1 : 1));
    if (input.ScanIndexForward === false) sorted.reverse();
    const start = input.ExclusiveStartKey ? Number(input.ExclusiveStartKey.at.N) : 0;
    const page = sorted.slice(start, input.Limit ? start + input.Limit : undefined);
    const more = start + page.length < sorted.length && input.Limit !== undefined;
    return { Items: page.map((m) => ({ snapshot: { S: JSON.stringify(m) } })), ...(more ? { LastEvaluatedKey: { at: { N: String(start + page.length) } } } : {}) };
  });
  ddb.on(DescribeContinuousBackupsCommand).callsFake((input) => {
    const generation = Number(/-g(\d+)$/.exec(String(input.TableName))?.[1]);
    const answer = world.tables.get(generation);
    if (!answer) throw new TableNotFoundException({ message: `Table not found: ${input.TableName}`, $metadata: {} });
    return answer;
  });
  ddb.on(DeleteItemCommand).resolves({});
}

/** The store over the fake. */
export function pitrSnapshots(): DynamoDbPitrSnapshotStore {
  return new DynamoDbPitrSnapshotStore({ client, controlTableName: 'control', tableFor, clock: () => NOW, wait: { initialDelayMs: 1, timeoutMs: 1_000 } });
}

/** The tables DescribeContinuousBackups was asked about, in order. */
export const described = (): string[] => ddb.commandCalls(DescribeContinuousBackupsCommand).map((c) => String(c.args[0].input.TableName));
