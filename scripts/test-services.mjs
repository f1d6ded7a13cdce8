// Servers one test run shares between its test files: one DynamoDB Local (tests/support/dynamodb-local-server.ts)
// when a file that runs uses tests/support/dynamodb-local.ts, instead of one JVM per file
// (EVENTLAKE_TEST_SHARED_DYNAMODB=off: one per file again).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/**
 * Whether `file` reaches `target` through relative imports (the files' own text, followed transitively). A file
 * met again inside an import cycle counts as not reaching it on that path; a miss only costs that file its own server.
 *
 * @param {string} file absolute path of a .ts file
 * @param {string} target absolute path of the module looked for
 * @param {Map<string, boolean>} [seen] memo shared between calls
 * @returns {boolean}
 */
export function importsModule(file, target, seen = new Map()) {
  if (file === target) return true;
  if (seen.has(file)) return seen.get(file);
  seen.set(file, false);
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { return false; }
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec.endsWith('.ts') && importsModule(resolve(dirname(file), spec), target, seen)) {
      seen.set(file, true);
      return true;
    }
  }
  return false;
}

/**
 * Start the shared DynamoDB Local when one of `files` uses it; resolves to the environment to give the test files
 * (empty when none needs it, or it did not start: then each file starts its own, as without a runner).
 *
 * `onLost` hears it when the shared server stops before the run ends (its JVM died or was killed): the files using
 * it then fail with "connection refused", and the runner must say why and give the later files their own.
 *
 * @param {string} root repository root
 * @param {readonly string[]} files absolute paths of the test files of this run
 * @param {(reason: string) => void} [onLost] called once if the shared server stops during the run
 * @returns {Promise<Record<string, string>>}
 */
export async function startSharedServices(root, files, onLost = () => undefined) {
  const harness = join(root, 'tests/support/dynamodb-local.ts');
  const seen = new Map();
  if (process.env.EVENTLAKE_AWS_IT === '1' || process.env.EVENTLAKE_TEST_SHARED_DYNAMODB === 'off' || !files.some((f) => importsModule(f, harness, seen))) return {};
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/support/dynamodb-local-server.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  // The server lives as long as this pipe: the runner's exit (or kill) closes it.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) s.unref?.();
  child.stdin.on('error', () => undefined);
  const endpoint = await new Promise((done) => {
    let out = '';
    const timer = setTimeout(() => done(undefined), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^ENDPOINT (\S+)$/m.exec(out);
      if (m) { clearTimeout(timer); done(m[1]); }
    });
    child.on('exit', () => { clearTimeout(timer); done(undefined); });
    child.on('error', () => { clearTimeout(timer); done(undefined); });
  });
  if (!endpoint) {
    console.log('note  the shared DynamoDB Local did not start: each test file starts its own');
    return {};
  }
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  child.once('exit', (code, signal) => onLost(stderr.trim().split('\n').pop() || `its server exited (${signal ?? code})`));
  return { EVENTLAKE_TEST_DYNAMODB_ENDPOINT: endpoint };
}
