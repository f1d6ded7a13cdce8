// Synth-time mistakes in schemaFolders/extensions: the message names what a CDK user sets (the EventLakeProps field or
// the -c eventlake:… context key, not the CLI's flags), and the app prints it as one line and exits 1, without a stack.
// The error the construct throws for the same module is read in tests/infra/user-code.test.ts (one check child there).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');
const SCHEMAS = join(FIXTURE, 'schemas');

const test = suite('synth-time user code errors');

test('`node infra/app.ts` with a refused extensions module exits 1 with the error\'s code and message, no stack trace', () => {
  // The keys as a user types them (-c eventlake:…): importing CONTEXT from infra/app.ts would load aws-cdk-lib and all
  // of infra here (~3 s of CPU) for two strings; the child loads them.
  const context = { 'eventlake:schemaFolders': SCHEMAS, 'eventlake:extensions': join(FIXTURE, 'typo-extensions.ts') };
  // CDK_OUTDIR as cdk synth sets it; after the refusal nothing is synthesized (tests/infra/synth-refusal.test.ts).
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: tempDir() },
  });
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.startsWith('eventlake: INVALID_ARGUMENT: extensions: '), r.stderr);
  assert.not.ok(/\n\s+at /.test(r.stderr), r.stderr);
  // Where a CDK user fixes it, not the CLI's flag.
  assert.ok(r.stderr.includes('EventLakeProps.schemaFolders') && r.stderr.includes('-c eventlake:schemaFolders'), r.stderr);
  assert.not.ok(r.stderr.includes('--schemas'), r.stderr);
});

test.run();
