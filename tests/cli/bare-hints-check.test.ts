// check's report names the run that removes compaction leftovers with the global options the user gave, so it
// compacts the data dir that was checked (a bare `eventlake archive run` compacts ./.eventlake).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderAwsCheck } from '../../cli/commands/check-aws-render.ts';
import { followUp } from '../../cli/follow-up.ts';
import { LogIndexFindings } from '../../projections/log-index-check-report.ts';
import { runCli } from '../security/cli-run.ts';
import { interruptedCompaction } from '../support/interrupted-compaction-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('check report spells archive run with the global options');

test('compaction leftovers name archive run with --data-dir and every --schemas given', async () => {
  const dir = join(tempDir(), "Bob's lake");
  mkdirSync(dir);
  await interruptedCompaction(dir);
  const schemas = tempDir();
  const r = await runCli(['--data-dir', dir, '--schemas', schemas, 'check']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, `the next compaction of the hour removes them (\`eventlake --data-dir '${dir.replaceAll("'", "'\\''")}' --schemas ${schemas} archive run\`;`);
});

test('the --target aws report spells it with the options that reach the stack', () => {
  const findings = new LogIndexFindings(10);
  findings.add('compactionLeftover', () => 'events/k: already in a segment');
  const report = { whole: true, checked: { objects: 1, events: 1, indexEntries: 1, restoredObjects: 0 }, archived: { objects: 0, events: 0 }, findings: findings.summary() };
  const lines = renderAwsCheck('s3://lake', report, followUp({ dataDir: '/d', schemaFolders: [], target: 'aws', config: '/etc/lake.json' }, {}));
  assert.match(lines.join('\n'), '(`eventlake --data-dir /d --config /etc/lake.json --target aws archive run`;');
});

test.run();
