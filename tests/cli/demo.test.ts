import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { registerDemoCommand } from '../../cli/commands/demo.ts';
import { demoPolicy, lossDay, runDemo } from '../../cli/demo.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake demo');
const SMALL = { accounts: 6, days: 8, eventsPerDay: 12, restoreDelayMs: 10 };

function collector() {
  const lines: string[] = [];
  return { text: () => lines.join(''), write: (s: string) => lines.push(s) };
}

test('the policy scales to the span: 28 days archive to Glacier after 7 days and Deep Archive after 21', () => {
  assert.equal(demoPolicy(28), { glacierAfterDays: 7, deepArchiveAfterDays: 21 });
  assert.ok(lossDay(28) < 28 - 21, 'the loss is inside the Deep Archive span');
});

let smallRun: Promise<{ report: Awaited<ReturnType<typeof runDemo>>; out: ReturnType<typeof collector> }> | undefined;

/** The demo at SMALL sizes in a fresh data dir, run once per file (it takes seconds): its report and what it printed. */
function smallDemo() {
  smallRun ??= (async () => {
    const out = collector();
    return { report: await runDemo(openLocalEventlake, { ...SMALL, dataDir: tempDir('eventlake-demo-') }, out), out };
  })();
  return smallRun;
}

test('small sizes run every step and print verification: passed', async () => {
  const { report, out } = await smallDemo();
  assert.ok(report.passed, out.text());
  assert.match(out.text(), /^verification: passed$/m);
  assert.ok(report.tiers.GLACIER.events > 0 && report.tiers.DEEP_ARCHIVE.events > 0 && report.tiers.STANDARD.events > 0, JSON.stringify(report.tiers));
  assert.match(out.text(), /FAILED, \d+ difference/, 'the loss is detected before the rebuild');
  assert.ok(report.phases.get('rehydrate')! >= 0 && report.phases.has('replay'));
});

test('the same seed gives the same data and the same tiers', async () => {
  const a = (await smallDemo()).report;
  const b = await runDemo(openLocalEventlake, { ...SMALL, days: 8, dataDir: tempDir('eventlake-demo-') }, collector());
  assert.equal(a.tiers, b.tiers);
  assert.is(a.events, b.events);
});

test('the demo command refuses a data dir that is not empty', async () => {
  const program = new Command().exitOverride();
  registerDemoCommand(program, openLocalEventlake);
  const dir = tempDir('eventlake-demo-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/something`, 'x');
  const error = await program.parseAsync(['demo', '--data-dir', dir], { from: 'user' }).then(() => undefined, (e: unknown) => e as Error);
  assert.match(String(error?.message), 'not empty');
});

test.run();
