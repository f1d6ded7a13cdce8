// A command's start loads no ajv (≈ 60 modules): ajv is required where a schema is compiled (schemas/schema-compiler.ts),
// and a built-in schema compiles only for an event its precheck does not accept (schemas/known-compiled.ts).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { modulesLoadedBy } from './module-graph.ts';

const test = suite('eventlake: command modules load no ajv');

const AJV = 'node_modules/ajv/dist/2020.js';
// emit imports `schemas check` (cli/commands/schemas.ts), whose linter makes an ajv of its own when it runs.
const emit = modulesLoadedBy("await import('./cli/commands/emit.ts'); await import('./cli/commands/status.ts');");

test('the emit and status command modules load no ajv', () => {
  assert.not.ok(emit.includes(AJV));
});

test('the check above sees ajv when a module imports it', () => {
  assert.ok(modulesLoadedBy("await import('ajv/dist/2020.js');").includes(AJV));
});

test.run();
