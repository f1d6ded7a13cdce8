// The emit a read command suggests when --data-dir is not a data dir repeats the global options given, as every other
// hint does: without --schemas and --extensions, pasted, it refused the user's own event types.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openTarget } from '../../cli/target.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('data-dir guard: the emit it suggests');

test('a read command\'s suggested emit repeats --data-dir, --schemas and --extensions, shell-quoted', async () => {
  const root = tempDir();
  const dataDir = join(root, 'my lake');
  const schemas = join(root, 'schemas');
  const extensions = join(root, 'ext.ts');
  const error = await rejects(() => openTarget({ dataDir, schemaFolders: [schemas], extensions, mustExist: true }, {}), InvalidArgumentError);
  assert.ok(error.message.endsWith(`(eventlake demo --data-dir '${dataDir}', or eventlake --data-dir '${dataDir}' --schemas ${schemas} --extensions ${extensions} emit FILE)`), error.message);
});

test.run();
