// Which test files share a process (scripts/test-batch.mjs) and how a batch's output splits back into per-file results.
// Why: 266 of the suite's files take under 3 s each, most of it Node, tsx and module start-up; thirty of them ran in
// 7 s in one process against 35 s one process each. Files of 5-10 s batch too since 28 Nov 2026: each loads its modules
// (~2 s CPU under load) once per process, and the suite in CI mode went from 673 s to 553 s with batches of up to 40 s.
import { END, START } from './test-batch-markers.mjs';

/** A file whose recorded seconds are below this runs in a batch; longer files (and files with no record) run alone. */
export const SMALL_SECONDS = 10;
/** A batch closes when its files' recorded seconds would pass this (so batches stay short jobs the pool can balance). */
export const BATCH_SECONDS = 40;
/** Nor more files than this in one batch (a crash re-runs the rest alone, so it should not cost many). */
export const BATCH_FILES = 24;

/**
 * Split test files into batches of small ones and the rest.
 *
 * `groupOf` names the files that pay the same costly start-up once per process (the infra files' CloudFormation
 * validator: ≈ 10 s of CPU to start in each process, against ≈ 1 s a template): a group's files batch next to each
 * other, so the fewest processes pay it. Three such files took 16 s of CPU in one process and 43 s one process each.
 *
 * @param {readonly string[]} names test files (paths relative to the repository)
 * @param {Readonly<Record<string, number>>} durations recorded seconds per file
 * @param {(name: string) => string} [groupOf] a file's group ('' for none)
 * @returns {{ batches: string[][], alone: string[] }} batches in group, then name order (neighbouring files share imports)
 */
export function planBatches(names, durations, groupOf = () => '') {
  const small = (n) => Object.hasOwn(durations, n) && Number.isFinite(durations[n]) && durations[n] < SMALL_SECONDS;
  const alone = names.filter((n) => !small(n));
  const order = (a, b) => { const ga = groupOf(a), gb = groupOf(b); return ga < gb ? -1 : ga > gb ? 1 : a < b ? -1 : a > b ? 1 : 0; };
  const batches = [];
  let current = [], seconds = 0;
  for (const name of names.filter(small).sort(order)) {
    const full = seconds + durations[name] > BATCH_SECONDS || current.length >= BATCH_FILES;
    // A group starts a batch of its own: a file of it in the batch before would start the engine there too.
    if (current.length > 0 && (full || groupOf(name) !== groupOf(current[0]))) {
      batches.push(current); current = []; seconds = 0;
    }
    current.push(name); seconds += durations[name];
  }
  if (current.length > 0) batches.push(current);
  return { batches, alone };
}

/**
 * Each file's own part of a batch's stdout (between its start and end markers) and its seconds; a file whose end
 * marker never came (the batch crashed or was killed first) is left out.
 *
 * @param {string} stdout
 * @returns {Map<string, { out: string, seconds: number }>}
 */
export function splitBatchOutput(stdout) {
  const results = new Map();
  let file, lines = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(START)) { file = line.slice(START.length); lines = []; continue; }
    if (file !== undefined && line.startsWith(END)) {
      const rest = line.slice(END.length);
      const cut = rest.lastIndexOf(' ');
      if (rest.slice(0, cut) === file) results.set(file, { out: lines.join('\n'), seconds: Number(rest.slice(cut + 1)) });
      file = undefined;
      continue;
    }
    if (file !== undefined) lines.push(line);
  }
  return results;
}
