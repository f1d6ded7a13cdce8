// What a read command's start does not load: `status` lists generations without the rebuild machinery
// (cli/generation-row.ts), and the guard refusing a --data-dir that is no data dir looks for its files without the
// log check (adapters/local/data-dir-gaps.ts). Each would cost tens of modules on every run.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { modulesLoadedBy } from './module-graph.ts';

const test = suite('eventlake: a read command loads what it runs');

const status = modulesLoadedBy("await import('./cli/commands/status.ts');");
// A path no folder is at: the guard looks for it and refuses it, creating nothing.
const guard = modulesLoadedBy("const { requireDataDir } = await import('./cli/data-dir-guard.ts');" +
  "await requireDataDir({ dataDir: '/nonexistent/eventlake-startup-lazy-modules', schemaFolders: [] }).catch(() => undefined);");

test('status does not load the rebuild coordinator', () => {
  assert.not.ok(status.includes('projections/rebuild/coordinator.ts'));
});

test('the check above sees status load rebuild modules it needs (the generations it lists)', () => {
  assert.ok(status.includes('projections/rebuild/generations.ts'));
});

test('the data-dir guard of read commands does not load the log check', () => {
  assert.not.ok(guard.includes('adapters/local/log-check.ts'));
});

test('the check above sees the guard load the modules it imports as it runs (the lost-index guard)', () => {
  assert.ok(guard.includes('adapters/local/lost-index-guard.ts'));
});

test.run();
