// `schemas check DIR` on a folder with no schema file in it fails: a CI job pointed at the wrong folder must not pass.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSchemasCommand } from '../support/schemas-cli.ts';

const EXAMPLE = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'examples/outgoing-payment');

const test = suite('eventlake schemas check: a folder without schema files');

test('a folder whose schemas are in a subfolder exits 1 naming the folder and the subfolder', async () => {
  const { out, exitCode } = await runSchemasCommand('schemas', 'check', EXAMPLE, '--json');
  assert.is(exitCode, 1, out);
  const finding = JSON.parse(out) as { file: string; rule: string; message: string };
  assert.equal([finding.file, finding.rule], [relative(process.cwd(), EXAMPLE), 'no-schemas']);
  assert.match(finding.message, `${EXAMPLE} holds no schema files`);
  assert.match(finding.message, `the schemas are likely in ${join(EXAMPLE, 'schemas')}: check that folder instead`);
});

test.run();
