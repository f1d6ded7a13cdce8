// What a POSIX shell makes of a command line the CLI printed, for tests that paste its suggestions.

import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';

/** The words `sh` makes of `line`, as a pasted command would get them. */
export function shellWords(line: string): string[] {
  const r = spawnSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

/** The words of the first `eventlake …` command in `text` after `marker` (up to `end`, default a `)`, `;` or line end). */
export function suggestedAfter(text: string, marker: string, end = /[);\n]|, /): string[] {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `no "${marker}" in:\n${text}`);
  const rest = text.slice(at + marker.length);
  const stop = rest.search(end);
  return shellWords(stop < 0 ? rest : rest.slice(0, stop));
}
