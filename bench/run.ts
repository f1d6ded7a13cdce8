// `npm run bench [-- --events N] [-- --quick] [-- --keep] [-- --out DIR]`: every figure beside its raw limit.

import { Command, InvalidArgumentError } from 'commander';
import { FIGURE_GROUPS, runBench, type FigureGroup } from './suite.ts';

const positive = (value: string): number => {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1000) throw new InvalidArgumentError('a whole number >= 1000');
  return n;
};

const program = new Command('bench')
  .description('measure eventlake against the raw limits of this machine; writes bench/results/latest.json and a dated copy')
  .option('--events <n>', 'events in the benchmark log (default 1,000,000; 100,000 with --quick)', positive)
  .option('--quick', 'smaller sizes and fewer runs (under a minute)')
  .option('--keep', 'keep the scratch data dirs')
  .option('--only <groups>', `measure only these figure groups, comma-separated (${FIGURE_GROUPS.join(', ')}); writes no report`, (value: string) => {
    const groups = value.split(',').map((g) => g.trim());
    const bad = groups.filter((g) => !(FIGURE_GROUPS as readonly string[]).includes(g));
    if (bad.length) throw new InvalidArgumentError(`unknown group ${bad.join(', ')}; use ${FIGURE_GROUPS.join(', ')}`);
    return groups as FigureGroup[];
  })
  .option('--out <dir>', 'where to write the results (default bench/results)')
  .parse();

const flags = program.opts<{ events?: number; quick?: boolean; keep?: boolean; out?: string; only?: FigureGroup[] }>();
await runBench({
  ...(flags.events !== undefined ? { events: flags.events } : {}),
  quick: flags.quick === true,
  keep: flags.keep === true,
  ...(flags.only ? { only: flags.only } : {}),
  ...(flags.out ? { out: flags.out } : {}),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  log: (line) => process.stdout.write(`${line}\n`),
});
