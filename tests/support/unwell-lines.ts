// Stored event lines an older version could write and today's input checks refuse, each the length of the line it
// replaces, so an index row naming that line still names it (the checks' tests damage a line in place).

/** `line` (one bank event) with its first account value's first 6 characters replaced by the escape of a lone surrogate. */
export function lineWithLoneSurrogate(line: string): string {
  const match = /"(?:Source|Target)Account":"[^"\\]{6}/.exec(line);
  if (!match) throw new Error(`no account field to damage in ${line}`);
  const at = match.index + match[0].length - 6;
  return `${line.slice(0, at)}\\udc00${line.slice(at + 6)}`;
}

/**
 * An event of `line`'s identity and time whose `Deep` field nests 65 levels of arrays (66 with the event), padded with
 * spaces to `line`'s length (JSON allows them; the event object the line was is not kept).
 */
export function lineNestedTooDeep(line: string): string {
  const { EventType, RequestId, EventTimeStamp } = JSON.parse(line) as Record<string, unknown>;
  const deep = JSON.stringify({ EventType, RequestId, EventTimeStamp, Deep: 0 }).replace('"Deep":0', `"Deep":${'['.repeat(65)}${']'.repeat(65)}`);
  if (deep.length > line.length) throw new Error(`the line (${line.length} bytes) is too short to hold ${deep.length}`);
  return deep + ' '.repeat(line.length - deep.length);
}
