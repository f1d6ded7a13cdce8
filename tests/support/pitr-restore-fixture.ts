// A DynamoDbPitrSnapshotStore on a mocked DynamoDB client, for the suites about restores a run left behind or lost
// the answer of: one snapshot of balances generation 1, a fixed clock, and the table DescribeTable answers.
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { DynamoDbPitrSnapshotStore } from '../../adapters/aws/dynamodb-pitr-snapshot-store.ts';

const client = new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
/** The mock of every command the store sends (reset it before each test). */
export const ddb = mockClient(client);
export const NOW = Date.parse('2024-03-01T12:00:00Z');
/** The snapshot restored: balances generation 1, taken an hour before NOW. */
export const snap: SnapshotInfo = { id: 'balances-g1-x', projection: 'balances', generation: 1, takenAt: NOW - 3_600_000, highWaterMark: 42 };

/** A store on the mocked client whose generation tables are eventlake-<projection>-g<generation>. */
export const snapshots = (): DynamoDbPitrSnapshotStore => new DynamoDbPitrSnapshotStore({
  client, controlTableName: 'control', tableFor: (n, g) => `eventlake-${n}-g${g}`, clock: () => NOW, wait: { initialDelayMs: 1, timeoutMs: 5_000 },
});

/** DescribeTable's answer for a table restored (CREATING: still restoring) from table `source` at time `at`. */
export const restoredTable = (status: 'CREATING' | 'ACTIVE', source: string, at: number) => ({
  Table: { TableStatus: status, RestoreSummary: { SourceTableArn: `arn:aws:dynamodb:eu-central-1:123456789012:table/${source}`, RestoreDateTime: new Date(at), RestoreInProgress: status === 'CREATING' } },
});
