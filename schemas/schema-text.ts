// Reading one schema file's text and parsing it, for the loader and `schemas check` alike: whatever sits in a schema
// folder under a `.json` name (a FIFO, a device, a huge file, a link to /etc/passwd) must not hang the process, fill
// its memory, or have its content echoed in an error.

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { jsonSyntaxProblem } from './json-syntax.ts';

/**
 * The largest schema file read, in bytes. Why 1 MiB: real schemas are a few KiB (the built-ins are under 4 KiB), and
 * ajv compiles the whole text into code, so anything near this size is not a schema but a mistake or an attack.
 */
export const MAX_SCHEMA_FILE_BYTES = 1024 * 1024;

const BOM = '\uFEFF';

/**
 * The text of schema `file`, or why it cannot be one (the refusal's wording, with the fix, without the file's content):
 * not a regular file, over MAX_SCHEMA_FILE_BYTES, or unreadable. A leading UTF-8 byte order mark is dropped, since
 * editors on Windows write one and RFC 8259 lets a parser ignore it.
 */
export function readSchemaText(file: string): { text: string } | { problem: string } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading waits for a writer otherwise; the fstat below then refuses it.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    return { problem: unopenable(file, cause) };
  }
  try {
    // fstat of the opened file, not a stat of the name: what is read is what was checked.
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { problem: notRegular(file, stats) };
    if (stats.size > MAX_SCHEMA_FILE_BYTES) return { problem: tooLarge(stats.size) };
    // One byte more than fstat gave, so that a file that grew since is seen, not cut short.
    const buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length;) length += n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > stats.size) return { problem: `holds more than the ${stats.size} bytes its size says: it grew while it was read (run again once nothing writes to it), or is no file on disk (such as one under /proc)` };
    const text = buffer.toString('utf8', 0, length);
    return { text: text.startsWith(BOM) ? text.slice(BOM.length) : text };
  } catch (cause) {
    return { problem: unreadable(cause) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Schema `file`'s text and parsed JSON, or the refusal: `rule` 'file' when it cannot be read as one (readSchemaText),
 * 'json' when it is not JSON, naming where the syntax breaks (line and column), never the text itself.
 */
export function readSchemaJson(file: string): { text: string; parsed: unknown } | { problem: string; rule: 'file' | 'json' } {
  const read = readSchemaText(file);
  if ('problem' in read) return { ...read, rule: 'file' };
  try {
    return { text: read.text, parsed: JSON.parse(read.text) };
  } catch {
    // Why not JSON.parse's message: V8 quotes the start of the text, and a link to another file would echo it.
    return { problem: `not valid JSON: ${jsonSyntaxProblem(read.text)}`, rule: 'json' };
  }
}

/** Why `file` did not open: a socket refuses to (ENXIO), so it is named by what it is. */
function unopenable(file: string, cause: unknown): string {
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return notRegular(file, stats);
  } catch {
    // A name that cannot be stat'ed either: the open's own reason says why.
  }
  return unreadable(cause);
}

function unreadable(cause: unknown): string {
  return `cannot be read (${(cause as { code?: string }).code ?? (cause as Error).message}): make it a readable regular file, or move it out of the folder`;
}

function notRegular(file: string, stats: Stats): string {
  return `is ${kindOf(stats)}${viaLink(file)}, not a regular file: a schema folder holds only <event_type>.v<N>.json files; move it out of the folder`;
}

function tooLarge(size: number): string {
  return `is ${size} bytes; a schema file is at most ${MAX_SCHEMA_FILE_BYTES} bytes (1 MiB): a schema that large is not one, check what the file is`;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'an unknown kind of file';
}

function viaLink(file: string): string {
  try {
    return lstatSync(file).isSymbolicLink() ? ' (through a symbolic link)' : '';
  } catch {
    return '';
  }
}
