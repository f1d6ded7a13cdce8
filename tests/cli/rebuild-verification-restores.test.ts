// `eventlake rebuild` from a snapshot, verified against the log (the default): the output says what the verification
// restored (every archived object before the snapshot), apart from what the replay restored, in text and in --json.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { registerRebuildCommand } from '../../cli/commands/rebuild.ts';
import type { LocalScenario } from '../support/fakes/local-scenario.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';

const test = suite('eventlake rebuild: restores of the verification');

type Step = Record<string, unknown>;
/** The scenario (six days, the oldest four archived) is built once; each test rebuilds a copy of its own. */
const copyOfScenario = localScenarioCopies({ seed: 11 });
const restored = (r: unknown) => { const { objects, alreadyReadable } = r as { objects: number; alreadyReadable: number }; return objects - alreadyReadable; };

async function rebuild(scenario: LocalScenario, args: string[]): Promise<string> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  registerRebuildCommand(program, () => scenario.open());
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const from = String(Math.floor(scenario.endOfDay(4) / 1000));
    await program.parseAsync(['--data-dir', scenario.dataDir, 'rebuild', '--projection', 'balances', '--from', from, ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return out;
}

test('--json: the verify step carries the objects the verification restored (all the plan counted for it), the rebuild step the replay\'s (none)', async () => {
  const steps = (await rebuild(await copyOfScenario(), ['--json'])).trim().split('\n').map((line) => JSON.parse(line) as Record<string, Step>);
  const planned = steps.find((s) => s['plan'])!['plan']!['verification'] as { restores: Record<'GLACIER' | 'DEEP_ARCHIVE', { objects: number }> };
  const counted = planned.restores.GLACIER.objects + planned.restores.DEEP_ARCHIVE.objects;
  assert.ok(counted > 0, 'the plan counts archived objects before the snapshot');
  assert.is(restored(steps.find((s) => s['rebuild'])!['rebuild']!['rehydrated']), 0);
  assert.is(restored(steps.find((s) => s['verify'])!['verify']!['rehydrated']), counted);
});

test('the text says how many archived objects the verification restored: those the plan counted for it', async () => {
  const out = await rebuild(await copyOfScenario(), []);
  const counted = /verification against the log restores (\d+) more object\(s\)/.exec(out)?.[1];
  assert.ok(counted !== undefined && Number(counted) > 0, out);
  assert.match(out, `\n  verification restored ${counted} of `);
});

test.run();
