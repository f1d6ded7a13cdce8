// One DynamoDB Local for a whole test run: scripts/test.mjs starts this script, reads the `ENDPOINT <url>` line it
// prints, and hands the URL to every test file (SHARED_DYNAMODB_ENV), which then starts no JVM of its own.
// Why: a JVM start costs each of the ~20 DynamoDB test files ~2 s before its first request, and a cold server
// answers its first requests slowly. The server ends when this script's stdin closes (the runner ended or was killed).
import { onLocalExit, startLocal } from './dynamodb-local.ts';

const endpoint = await startLocal();
process.stdout.write(`ENDPOINT ${endpoint}\n`);
// A JVM that dies (out of memory, killed) ends this script too, so the runner learns it instead of serving a dead endpoint.
onLocalExit((code, signal) => {
  process.stderr.write(`DynamoDB Local exited (${signal ?? code})\n`);
  process.exit(1);
});
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
