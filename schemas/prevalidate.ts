// Fast acceptance check: compiles a schema's common keywords into a tree of Nodes that answers "ajv would accept this".

import { ACCOUNTS_KEYWORD } from './account-fields.ts';
import { hasOwn, isFiniteNumber, isObject, K, Node, T } from './precheck-node.ts';

/**
 * `true` means the compiled ajv validator would accept `data`; `false` means "not sure": ask ajv, which decides and
 * names the errors. Why: ajv's generated code (allErrors, error objects, 2020 bookkeeping) costs ≈ 2.5 µs per bank
 * event, most of the validation budget, while a valid event only needs the checks themselves.
 *
 * Soundness is the whole contract: every check here is as strict as ajv's or stricter (a keyword applied to a value of
 * a type it does not apply to answers "not sure"), so the accepted set stays exactly ajv's and every error still comes
 * from ajv. A schema using any keyword outside the subset gets no precheck at all.
 */
export type Precheck = (data: unknown) => boolean;

type Schema = Record<string, unknown>;
/** The ajv format of that name, as a test of a string, or undefined when it is not a plain synchronous string format. */
export type FormatLookup = (name: string) => ((text: string) => boolean) | undefined;

/** Keywords that never change the outcome of validation. */
const ANNOTATIONS = new Set(['$schema', '$comment', 'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', ACCOUNTS_KEYWORD]);
const OBJECT_KEYWORDS = new Set(['properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties']);
const PRIMITIVE = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Compile `schema` (as handed to ajv) into a Precheck, or undefined when it uses a keyword outside the subset:
 * type, const, enum (primitives), pattern, format, minLength, maxLength, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, properties, required, additionalProperties, propertyNames, minProperties, maxProperties.
 * `pattern` compiles as ajv does by default (`new RegExp(p, 'u')`); `format` uses the ajv instance's own formats.
 */
export function compilePrecheck(schema: unknown, format: FormatLookup): Precheck | undefined {
  const node = compileNode(schema, format);
  return node && ((data) => node.test(data));
}

function compileNode(schema: unknown, format: FormatLookup): Node | undefined {
  const node = new Node();
  if (schema === true) return node;
  if (schema === false) {
    node.present = K.never;
    return node;
  }
  if (!isObject(schema) || Object.getPrototypeOf(schema) !== Object.prototype) return undefined;
  const s = schema as Schema;
  for (const key of Object.keys(s)) {
    const value = s[key];
    if (ANNOTATIONS.has(key) || (key === '$id' && value === undefined)) continue;
    if (OBJECT_KEYWORDS.has(key)) {
      node.isObjectSchema = true;
      continue; // compiled together below
    }
    if (!compileKeyword(node, key, value, format)) return undefined;
  }
  if (node.isObjectSchema && !compileObject(node, s, format)) return undefined;
  node.present = (node.types !== 0 ? K.types : 0) | (node.hasConst || node.enumValues !== undefined ? K.value : 0)
    | (node.pattern !== undefined || node.format !== undefined || node.minLength >= 0 || node.maxLength >= 0 ? K.string : 0)
    | ([node.minimum, node.maximum, node.exclusiveMinimum, node.exclusiveMaximum].some((b) => b !== undefined) ? K.number : 0)
    | (node.isObjectSchema ? K.object : 0);
  return node;
}

function compileKeyword(node: Node, key: string, value: unknown, format: FormatLookup): boolean {
  switch (key) {
    case 'type': {
      const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
      for (const n of names) {
        if (typeof n !== 'string' || !hasOwn.call(T, n)) return false;
        node.types |= T[n as keyof typeof T];
      }
      return node.types !== 0;
    }
    case 'const':
      // Objects and arrays compare deeply in ajv: left to it.
      node.hasConst = true;
      node.constValue = value;
      return PRIMITIVE(value);
    case 'enum':
      if (!Array.isArray(value) || !value.every(PRIMITIVE)) return false;
      node.enumValues = value;
      return true;
    case 'pattern':
      if (typeof value !== 'string') return false;
      node.pattern = new RegExp(value, 'u');
      return true;
    case 'format':
      node.format = typeof value === 'string' ? format(value) : undefined;
      return node.format !== undefined;
    case 'maxLength':
    case 'minLength':
      // A string never has more code points than UTF-16 units: the cheap length decides when it is short enough.
      if (!isCount(value)) return false;
      node[key] = value;
      return true;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (!isFiniteNumber(value)) return false;
      node[key] = value;
      return true;
    default:
      return false;
  }
}

function compileObject(node: Node, s: Schema, format: FormatLookup): boolean {
  const props = s['properties'] ?? {};
  if (!isObject(props)) return false;
  const names = Object.keys(props);
  const compiled: Node[] = [];
  for (const name of names) {
    const c = compileNode(props[name], format);
    if (c === undefined) return false;
    compiled.push(c);
  }
  const required = s['required'] ?? [];
  if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) return false;
  const [extra, propertyNames, min, max] = [s['additionalProperties'], s['propertyNames'], s['minProperties'], s['maxProperties']];
  node.extra = extra === undefined ? undefined : compileNode(extra, format);
  node.propertyNames = propertyNames === undefined ? undefined : compileNode(propertyNames, format);
  if ((extra !== undefined && node.extra === undefined) || (propertyNames !== undefined && node.propertyNames === undefined)) return false;
  if ((min !== undefined && !isCount(min)) || (max !== undefined && !isCount(max))) return false;
  const isRequired = names.map((n) => (required as string[]).includes(n));
  const otherRequired = (required as string[]).filter((r) => !hasOwn.call(props, r));
  Object.assign(node, { names, isRequired, otherRequired, props: compiled, propSchemas: props, minProperties: min ?? -1, maxProperties: max ?? -1 });
  return true;
}
