// `npm start` runs `node --import tsx cli/main.ts demo`: main.ts must know it was started, in any checkout path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startedAsMain } from '../../cli/started-as-main.ts';

test('a checkout path with a space, # or non-ASCII letters is still the started script', () => {
  for (const dir of ['/home/ana/My Projects/eventlake', '/srv/build#7/eventlake', '/home/zoë/eventlake']) {
    const file = `${dir}/cli/main.ts`;
    assert.ok(startedAsMain(pathToFileURL(file).href, file), file);
  }
});

test('a script reached through a symlink is the module it resolves to', () => {
  const root = mkdtempSync(join(tmpdir(), 'eventlake-main-'));
  try {
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real', 'main.ts'), '');
    symlinkSync(join(root, 'real'), join(root, 'link'));
    assert.ok(startedAsMain(pathToFileURL(join(root, 'real', 'main.ts')).href, join(root, 'link', 'main.ts')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('another script, or none, is not', () => {
  assert.not.ok(startedAsMain(pathToFileURL('/repo/cli/main.ts').href, '/repo/bench/run.ts'));
  assert.not.ok(startedAsMain(pathToFileURL('/repo/cli/main.ts').href, undefined));
});

test.run();
