// `eventlake generations list|drop`: the generations of a projection beside its live one (rebuilds kept unpromoted,
// unfinished ones, retired live ones) and the explicit drop that frees one; no rebuild ever drops a kept one.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { dropOtherGeneration, otherGenerations, type OtherGeneration } from '../../projections/rebuild/generations.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { globalOptions, readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';

/** One row of the listing, as `eventlake generations list` and `eventlake status` print it. */
export function generationRow(projection: string, g: OtherGeneration): Record<string, unknown> {
  return {
    projection, generation: g.generation, state: g.state,
    from: g.snapshotId === undefined ? '' : g.snapshotId ?? 'empty',
    until: g.until === undefined ? '' : new Date(g.until).toISOString(),
    replayedThrough: g.replayedThrough ?? '',
  };
}

function projectionNamed(runtime: EventlakeRuntime, name: string): string {
  if (!runtime.projections.some((p) => p.name === name)) {
    throw new InvalidArgumentError('--projection', `unknown projection "${name}" (known: ${runtime.projections.map((p) => p.name).join(', ')})`);
  }
  return name;
}

function parseGeneration(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('generation', `${text} is not a generation number (eventlake generations list shows them)`);
  return n;
}

export function registerGenerationsCommand(program: Command, open: (opts: GlobalOptions) => Promise<EventlakeRuntime>): void {
  const generations = program.command('generations').description('projection generations beside the live one: rebuilds kept unpromoted, unfinished, retired; drop one to free its storage');
  generations
    .command('list')
    .description('list every generation that is not live, with its state (finished: kept by a rebuild, to verify, promote or drop)')
    .option('--projection <name>', 'only this projection (default: every projection)')
    .option('--json', 'one JSON object per line')
    .action(async (flags: { projection?: string; json?: boolean }, command: Command) => {
      const runtime = await open(readingOptions(command));
      try {
        const names = flags.projection ? [projectionNamed(runtime, flags.projection)] : runtime.projections.map((p) => p.name);
        const rows: Record<string, unknown>[] = [];
        for (const name of names) {
          const others = await otherGenerations(runtime, name);
          if (!others) throw new InvalidArgumentError('--target', `this target's projection store cannot list generations; eventlake verify --generation N still checks one you know`);
          for (const g of others) rows.push(flags.json ? { projection: name, ...g } : generationRow(name, g));
        }
        printRows(rows, flags.json ?? false);
      } finally {
        await runtime.close();
      }
    });
  generations
    .command('drop')
    .description('drop a generation that is not live, and its data (SQLite rows; on AWS its DynamoDB table); waits for no running rebuild: refused while one runs')
    .argument('<generation>', 'the generation number (eventlake generations list)')
    .requiredOption('--projection <name>', 'the projection it belongs to')
    .option('--json', 'JSON output')
    .action(async (generation: string, flags: { projection: string; json?: boolean }, command: Command) => {
      const n = parseGeneration(generation);
      const runtime = await open(globalOptions(command));
      try {
        const dropped = await dropOtherGeneration(runtime, projectionNamed(runtime, flags.projection), n);
        if (flags.json) process.stdout.write(`${JSON.stringify(dropped)}\n`);
        else process.stdout.write(`dropped ${dropped.projection} generation ${dropped.generation}${dropped.state ? ` (${dropped.state})` : ''}\n`);
      } finally {
        await runtime.close();
      }
    });
}
