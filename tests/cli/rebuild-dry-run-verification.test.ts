// `eventlake rebuild --dry-run` from a snapshot: the plan counts what verifying against the log restores (the default),
// and nothing for --against snapshot. Walkthrough: the plan said 0 restores, then 500 objects were restored.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { registerRebuildCommand } from '../../cli/commands/rebuild.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';

const test = suite('eventlake rebuild --dry-run: restores of the verification');
const scenario = await buildLocalScenario({ seed: 9 });
const fromAfterArchive = String(Math.floor(scenario.endOfDay(4) / 1000));

async function dryRun(args: string[]): Promise<string> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  registerRebuildCommand(program, () => scenario.open());
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['--data-dir', scenario.dataDir, 'rebuild', '--projection', 'balances', '--from', fromAfterArchive, '--dry-run', ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return out;
}

async function archivedObjects(): Promise<number> {
  const local = await scenario.open();
  try {
    return (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').length;
  } finally {
    await local.close();
  }
}

test('by default (--against log) the dry run counts every archived object before the snapshot as restored by verification', async () => {
  const out = await dryRun([]);
  assert.match(out, 'restores needed by the replay: 0 GLACIER object(s) (0.0 KiB), 0 DEEP_ARCHIVE object(s) (0.0 KiB)');
  assert.match(out, `verification against the log restores ${await archivedObjects()} more object(s)`);
  assert.match(out, '--against snapshot avoids it');
});

test('--json carries the verification\'s restores apart from the replay\'s', async () => {
  const plan = JSON.parse((await dryRun(['--json'])).trim()).plan;
  assert.equal(plan.verification.against, ['log']);
  assert.is(plan.verification.restores.GLACIER.objects + plan.verification.restores.DEEP_ARCHIVE.objects, await archivedObjects());
  assert.is(plan.restores.GLACIER.objects + plan.restores.DEEP_ARCHIVE.objects, 0);
});

test('with --against snapshot the dry run plans no restores of the verification', async () => {
  const out = await dryRun(['--against', 'snapshot']);
  assert.match(out, 'verification against snapshot restores nothing more');
  assert.not.match(out, 'estimated AWS restore cost');
});

test.run();
