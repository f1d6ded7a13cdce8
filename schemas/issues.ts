// Turns ajv's errors into FieldIssues a person can act on: the field, what is wrong, and what would be valid.

import type { ErrorObject } from 'ajv';
import type { FieldIssue } from '../domain/errors.ts';
import { printable } from '../domain/printable.ts';

type SchemaNode = { description?: string; properties?: Record<string, SchemaNode>; propertyNames?: SchemaNode };

function nodeAt(schema: SchemaNode, pointer: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const part of pointer.split('/').slice(1)) node = node?.properties?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

function describe(schema: SchemaNode, pointer: string): string | undefined {
  return nodeAt(schema, pointer)?.description;
}

/** One FieldIssue per ajv error, with the schema's own `description` as the expectation where it has one. */
export function toFieldIssues(errors: readonly ErrorObject[], schema: object): FieldIssue[] {
  const root = schema as SchemaNode;
  const issues: FieldIssue[] = [];
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      const field = `${e.instancePath}/${String(p['missingProperty'])}`;
      issues.push({ pointer: field, reason: 'is required', expected: describe(root, field) ?? 'a value' });
    } else if (e.keyword === 'additionalProperties') {
      const allowed = Object.keys(root.properties ?? {});
      const field = `${e.instancePath}/${String(p['additionalProperty'])}`;
      issues.push({
        pointer: field,
        reason: 'is not a field of this event type',
        expected: e.instancePath === '' ? `only the fields ${allowed.join(', ')}` : 'no such field',
      });
    } else if (e.keyword === 'propertyNames') {
      continue; // ajv reports the offending name once more under `pattern`, with its pointer
    } else if (e.keyword === 'pattern' && p['pattern'] && e.propertyName !== undefined) {
      // Any schema's map keys land here, not only the built-in denominations: the map's own words for its keys, if any.
      issues.push({
        pointer: `${e.instancePath}/${e.propertyName}`,
        reason: 'is not a key this field accepts',
        expected: nodeAt(root, e.instancePath)?.propertyNames?.description ?? `a key matching ${String(p['pattern'])}`,
      });
    } else {
      const field = e.instancePath;
      issues.push({ pointer: field, reason: e.message ?? e.keyword, expected: describe(root, field) ?? fromKeyword(e.keyword, p) ?? e.message ?? 'a valid value' });
    }
  }
  // A pointer names the event's own keys (an unknown field's), which the CLI prints: their controls are shown escaped.
  return dedupe(issues).map((i) => ({ ...i, pointer: printable(i.pointer) }));
}

/** What would be valid, in words, for the keywords a user's schema without descriptions fails most (ajv's message would repeat the reason). */
function fromKeyword(keyword: string, p: Record<string, unknown>): string | undefined {
  switch (keyword) {
    case 'enum': return `one of ${JSON.stringify(p['allowedValues'])}`;
    case 'const': return JSON.stringify(p['allowedValue']);
    case 'pattern': return `a string matching ${String(p['pattern'])}`;
    case 'type': return `${/^[aeiou]/.test(String(p['type'])) ? 'an' : 'a'} ${String(p['type'])}`;
    case 'minLength': return `at least ${String(p['limit'])} characters`;
    case 'maxLength': return `at most ${String(p['limit'])} characters`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': return `a number ${String(p['comparison'])} ${String(p['limit'])}`;
    default: return undefined;
  }
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.pointer}\u0000${i.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
