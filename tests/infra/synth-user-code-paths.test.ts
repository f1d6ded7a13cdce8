// At synth, a schema folder or extensions path that is wrong is refused naming the EventLakeProps field / context key
// and the truth about where paths resolve from (the current directory: synth has no config file), and a user's own
// CDK app gets the same one-line `eventlake: CODE: message` and exit 1 through runSynth from `eventlake/infra`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkUserCode } from '../../infra/check-user-code.ts';
import { tempDir } from '../support/tmp.ts';
import { thrown } from '../support/thrown.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures');
const SYNTH_FIELD = 'EventLakeProps.schemaFolders (or -c eventlake:schemaFolders)';
const FROM_HERE = 'the current directory (where cdk synth runs the app)';

const test = suite('synth: paths in EventLakeProps');

test('a missing schema folder names EventLakeProps.schemaFolders and the context key, and the fix, not --schemas', () => {
  const error = thrown(() => checkUserCode(['./no-such-schemas'], undefined), InvalidArgumentError);
  assert.is(error.argument, SYNTH_FIELD);
  assert.ok(error.message.includes(`schema folder ${resolve('no-such-schemas')} does not exist: give an existing folder that holds the <event_type>.v<N>.json schemas`), error.message);
  assert.ok(error.message.endsWith(`as a path from ${FROM_HERE}`), error.message);
  assert.not.ok(error.message.includes('--schemas'), error.message);
});

test('a missing schema folder is named the same way when an extensions module is given too', () => {
  const error = thrown(() => checkUserCode(['./no-such-schemas'], join(FIXTURE, 'user-types/extensions.ts')), InvalidArgumentError);
  assert.is(error.argument, SYNTH_FIELD);
});

test('a missing extensions module says its path is relative to the current directory, not to a config file', () => {
  const file = join(tempDir(), 'missing.extensions.ts');
  const error = thrown(() => checkUserCode([], file), InvalidArgumentError);
  assert.ok(error.message.includes(`is not a file: give the path (relative to ${FROM_HERE})`), error.message);
  assert.not.ok(error.message.includes('config file'), error.message);
});

test('a user\'s own CDK app wrapped in runSynth from eventlake/infra prints one line and exits 1 for a bad schemaFolders', () => {
  const cwd = tempDir();
  // CDK_OUTDIR as cdk synth sets it; after the refusal nothing is synthesized (tests/infra/synth-refusal.test.ts).
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(FIXTURE, 'user-app/app.ts'), './nope'], {
    cwd, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: join(cwd, 'cdk.out') },
  });
  assert.is(r.status, 1, r.stderr);
  assert.not.ok(/\n\s+at /.test(r.stderr), r.stderr);
  assert.ok(r.stderr.startsWith(`eventlake: INVALID_ARGUMENT: ${SYNTH_FIELD}: schema folder ${join(cwd, 'nope')} does not exist: give an existing folder ` +
    `that holds the <event_type>.v<N>.json schemas (e.g. outgoing_payment.v1.json), as a path from ${FROM_HERE}\n`), r.stderr);
});

test.run();
