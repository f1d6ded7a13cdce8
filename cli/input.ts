// Reading events from a file or stdin: one JSON object, a JSON array, or NDJSON.

import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../domain/errors.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Read `file` (or stdin for `-` or none) and parse it. */
export async function readEventsInput(file: string | undefined): Promise<unknown[]> {
  const text = !file || file === '-' ? await readStdin() : await readFile(file, 'utf8').catch((e: Error) => {
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
