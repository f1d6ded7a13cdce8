// Which test runs get the shared DynamoDB Local (scripts/test-services.mjs): a file reaching the harness through
// any chain of relative imports does; a file that does not, or a run that needs none, starts no server.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importsModule, startSharedServices } from '../../scripts/test-services.mjs';
import { tempDir } from '../support/tmp.ts';

const test = suite('test runner shared services');

/** A tree of .ts files from `files` (path -> text) in a fresh folder; returns the folder. */
function tree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const HARNESS = 'tests/support/dynamodb-local.ts';

/** Whether `from` reaches the harness in a tree of `files` (the harness itself added). */
function reaches(files: Record<string, string>, from: string): boolean {
  const root = tree({ ...files, [HARNESS]: '' });
  return importsModule(join(root, from), join(root, HARNESS));
}

test('a file importing the harness directly uses it', () => {
  assert.ok(reaches({ 'tests/a.test.ts': "import { dynamoDb } from './support/dynamodb-local.ts';\n" }, 'tests/a.test.ts'));
});

test('a file reaching the harness through another support module uses it', () => {
  assert.ok(reaches({
    'tests/cli/a.test.ts': "import { stack } from '../support/stack.ts';\n",
    'tests/support/stack.ts': "export { dynamoDb } from './dynamodb-local.ts';\n",
  }, 'tests/cli/a.test.ts'));
});

test('a dynamic import counts as an import', () => {
  assert.ok(reaches({ 'tests/a.test.ts': "const m = await import('./support/dynamodb-local.ts');\n" }, 'tests/a.test.ts'));
});

test('a file that does not reach the harness, even through an import cycle, does not use it', () => {
  assert.not.ok(reaches({
    'tests/a.test.ts': "import { b } from './b.ts';\nimport { x } from 'dynamodb-local';\n",
    'tests/b.ts': "import { a } from './a.test.ts';\nexport const b = 1;\n",
  }, 'tests/a.test.ts'));
});

test('a run whose files do not use the harness starts nothing and adds no environment', async () => {
  const root = tree({ 'tests/a.test.ts': "import { test } from 'uvu';\n", [HARNESS]: '' });
  assert.equal(await startSharedServices(root, [join(root, 'tests/a.test.ts')]), {});
});

test.run();
