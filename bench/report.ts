// The benchmark report: bench/results/latest.json plus a dated copy, and a markdown table for the terminal and README.

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './figure.ts';

export interface Report {
  readonly generatedAt: string;
  /** The exact command line that produced it. */
  readonly command: string;
  readonly options: { readonly events: number; readonly quick: boolean };
  readonly durationMs: number;
  /** Load averages (1, 5, 15 min) at the start and the end: the machine is shared. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly dataset: Readonly<Record<string, number | string>>;
  readonly figures: readonly Figure[];
  /** How `ratio` reads. */
  readonly ratioMeaning: string;
}

export const RATIO_MEANING = 'fraction of the raw limit measured beside it in the same run (1 = as fast as the raw limit): value/raw for rates, raw/value for times';

const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n >= 1000 ? Math.round(n).toLocaleString('en-US') : String(n));

function keyDetails(f: Figure): string {
  const d = f.details;
  const pick = (keys: readonly string[]) => keys.filter((k) => d[k] !== undefined).map((k) => `${k} ${typeof d[k] === 'number' ? fmt(d[k] as number) : String(d[k])}`);
  return pick(['serialEventsPerSecond', 'groupedOverSerial', 'groupedP50Ms', 'serialP50Ms', 'v4EventsPerSecond', 'v7OverV4', 'v7WrittenMiB', 'v4WrittenMiB', 'ceilingRatio', 'commitP50Ms', 'commitP99Ms', 'p99Ms', 'filesOpened', 'peakRssMiB', 'replayMs', 'verifyMs', 'emitOnlyEventsPerSecond']).join(', ');
}

/** The figures as a markdown table. */
export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.name, `${fmt(f.value)} ${f.unit}`, f.raw ? `${fmt(f.raw.value)} ${f.raw.unit}` : '—', fmt(f.ratio), f.target,
    f.pass === null ? 'report' : f.pass ? 'PASS' : 'FAIL', `${fmt(f.conditions.events)}`, keyDetails(f),
  ]);
  const head = ['figure', 'value', 'raw limit', 'ratio', 'target', 'result', 'events', 'details'];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function loadNow(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

/** The report as markdown: the command, when and where it ran, and the table. */
export function markdown(report: Report): string {
  const f0 = report.figures[0]?.conditions;
  return [
    `Produced by \`${report.command}\` at ${report.generatedAt} in ${Math.round(report.durationMs / 1000)} s`,
    `(Node ${f0?.node ?? '?'}, ${f0?.cores ?? '?'} cores, ${f0?.cpu ?? '?'}; load average ${report.load.start.join('/')} at the start, ${report.load.end.join('/')} at the end).`,
    '', table(report.figures), '', `ratio: ${report.ratioMeaning}. Conditions and raw-limit definitions: latest.json.`, '',
  ].join('\n');
}

/**
 * Write latest.json, latest.md and a dated `<ISO>.json` under `dir`; returns the JSON paths (latest first). A quick
 * run writes `latest-quick.*` and `<ISO>-quick.json` instead, so `latest.json` is always a default-size run.
 */
export function writeReport(dir: string, report: Report): string[] {
  mkdirSync(dir, { recursive: true });
  const suffix = report.options.quick ? '-quick' : '';
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const dated = join(dir, `${report.generatedAt.replaceAll(':', '-')}${suffix}.json`);
  const latest = join(dir, `latest${suffix}.json`);
  writeFileSync(dated, text);
  writeFileSync(latest, text);
  writeFileSync(join(dir, `latest${suffix}.md`), markdown(report));
  return [latest, dated];
}
