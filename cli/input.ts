// Reading events from a file, stdin or a request body: UTF-8 text holding one JSON object, a JSON array, or NDJSON.

import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../domain/errors.ts';
import { duplicateKeyMessage, findDuplicateJsonKey, lineAndColumn } from '../domain/json-duplicate-keys.ts';

/** Where events come from when no file is given, and where a hint goes (tests pass their own). */
export interface InputIo {
  readonly stdin: AsyncIterable<unknown> & { readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
}

async function readStdin(io: InputIo): Promise<Buffer> {
  // `eventlake emit` typed without a file or a pipe would otherwise wait on the terminal in silence.
  if (io.stdin.isTTY) io.stderr.write('eventlake: reading events from stdin (end with Ctrl-D), or give a FILE\n');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Read `file` (or stdin for `-` or none) and parse it. */
export async function readEventsInput(file: string | undefined, io: InputIo = { stdin: process.stdin, stderr: process.stderr }): Promise<unknown[]> {
  const bytes = !file || file === '-' ? await readStdin(io) : await readFile(file).catch((e: Error) => {
    throw new InvalidArgumentError('FILE', `cannot read ${file}: ${e.message}`);
  });
  return parseEventsText(utf8Text(bytes));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `bytes` as text (a leading byte order mark dropped), or `InvalidArgumentError` naming the first line that is not
 * UTF-8. Why strict: a lenient decoder replaces such bytes with U+FFFD, and the event is stored with an account or a
 * reference its sender never wrote.
 */
export function utf8Text(bytes: Uint8Array): string {
  if (isUtf8(bytes)) return UTF8.decode(bytes);
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) break;
    start = end + 1;
  }
  throw new InvalidArgumentError(`line ${line}`, 'is not UTF-8 text: encode the events as UTF-8 (e.g. iconv -f latin1 -t utf-8), JSON\'s only encoding');
}

/**
 * A JSON object → [it]; a JSON array → its items; otherwise NDJSON, one value per non-blank line.
 * An object holding a key twice is refused (`InvalidArgumentError` naming the key, its path and line), not read.
 */
export function parseEventsText(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    return parseNdjson(text);
  }
  const duplicate = findDuplicateJsonKey(trimmed);
  if (duplicate !== undefined) {
    const body = text.replace(/^\ufeff/, '');
    const { line, column } = lineAndColumn(body, duplicate.offset + body.length - body.trimStart().length);
    throw new InvalidArgumentError(`line ${line}`, duplicateKeyMessage(duplicate, `column ${column}`));
  }
  return Array.isArray(whole) ? whole : [whole];
}

function parseNdjson(text: string): unknown[] {
  // The untrimmed text: a line number counts the blank lines before the first event too, as an editor does.
  return text.replace(/^\ufeff/, '').split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      // The parser's message quotes the input around the error; events carry account numbers, so only say where.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      const where = at === undefined ? '' : ` at column ${Number(at) + 1}`;
      throw new InvalidArgumentError(`line ${i + 1}`, `not valid JSON${where}; give one JSON object, a JSON array, or one object per line`);
    }
    const duplicate = findDuplicateJsonKey(line);
    if (duplicate !== undefined) throw new InvalidArgumentError(`line ${i + 1}`, duplicateKeyMessage(duplicate, `column ${duplicate.offset + 1}`));
    return [value];
  });
}
