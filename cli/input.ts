// Reading events from a file or stdin: one JSON object, a JSON array, or NDJSON.

import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../domain/errors.ts';

/** Where events come from when no file is given, and where a hint goes (tests pass their own). */
export interface InputIo {
  readonly stdin: AsyncIterable<unknown> & { readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
}

async function readStdin(io: InputIo): Promise<string> {
  // `eventlake emit` typed without a file or a pipe would otherwise wait on the terminal in silence.
  if (io.stdin.isTTY) io.stderr.write('eventlake: reading events from stdin (end with Ctrl-D), or give a FILE\n');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Read `file` (or stdin for `-` or none) and parse it. */
export async function readEventsInput(file: string | undefined, io: InputIo = { stdin: process.stdin, stderr: process.stderr }): Promise<unknown[]> {
  const text = !file || file === '-' ? await readStdin(io) : await readFile(file, 'utf8').catch((e: Error) => {
    throw new InvalidArgumentError('FILE', `cannot read ${file}: ${e.message}`);
  });
  return parseEventsText(text);
}

/** A JSON object → [it]; a JSON array → its items; otherwise NDJSON, one value per non-blank line. */
export function parseEventsText(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole: unknown = JSON.parse(trimmed);
    return Array.isArray(whole) ? whole : [whole];
  } catch {
    // not a single JSON document: read it as NDJSON below
  }
  return trimmed.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch (e) {
      // The parser's message quotes the input around the error; events carry account numbers, so only say where.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      const where = at === undefined ? '' : ` at column ${Number(at) + 1}`;
      throw new InvalidArgumentError(`line ${i + 1}`, `not valid JSON${where}; give one JSON object, a JSON array, or one object per line`);
    }
  });
}
