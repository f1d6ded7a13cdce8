// The test runner's order of work and its record of how long each file took (scripts/test-durations.json).
// Why longest first: two workers that pick the next job as they free up end together only if the long jobs are not
// left for last; a 30 s file started in the final minute makes one worker run alone for 30 s.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Jobs ordered longest first by their recorded seconds; jobs with no record go in the middle (after the longer
 * half of the known ones), in name order, so one unexpectedly long new file neither starts first nor ends last.
 *
 * @param {readonly string[]} names jobs to run (e.g. `tests/cli/demo.test.ts`, `typecheck`)
 * @param {Readonly<Record<string, number>>} durations seconds per job from an earlier run
 * @returns {string[]}
 */
export function longestFirst(names, durations) {
  const has = (n) => Object.hasOwn(durations, n) && Number.isFinite(durations[n]);
  const known = names.filter(has).sort((a, b) => durations[b] - durations[a] || (a < b ? -1 : a > b ? 1 : 0));
  const unknown = names.filter((n) => !has(n)).sort();
  const middle = Math.ceil(known.length / 2);
  return [...known.slice(0, middle), ...unknown, ...known.slice(middle)];
}

/**
 * The recorded durations with this run's measurements laid over them; when `all` is true (an unfiltered run),
 * records of jobs that no longer exist are dropped.
 *
 * @param {Readonly<Record<string, number>>} previous
 * @param {Readonly<Record<string, number>>} measured seconds per job of this run
 * @param {readonly string[] | undefined} all every job there is, or undefined when the run was filtered
 * @returns {Record<string, number>} keys in name order, seconds rounded to a tenth
 */
export function mergeDurations(previous, measured, all) {
  const merged = { ...previous, ...measured };
  const keep = all ? new Set(all) : undefined;
  return Object.fromEntries(Object.keys(merged).filter((k) => !keep || keep.has(k)).sort()
    .map((k) => [k, Math.round(merged[k] * 10) / 10]));
}

/**
 * The durations file, or no records when it is missing or unreadable (the run still goes, in name order).
 *
 * @param {string} file
 * @returns {Record<string, number>}
 */
export function readDurations(file) {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Write the durations file whole (temporary name, then rename).
 *
 * @param {string} file
 * @param {Readonly<Record<string, number>>} durations
 */
export function writeDurations(file, durations) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(durations, null, 1)}\n`);
  renameSync(tmp, file);
}
