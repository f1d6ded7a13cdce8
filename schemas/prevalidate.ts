// Fast acceptance check: a schema's common keywords compiled into a small tree that answers "ajv would accept this".

import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';

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

const ucs2length = (ucs2lengthModule as unknown as { default: (s: string) => number }).default ?? (ucs2lengthModule as unknown as (s: string) => number);
const hasOwn = Object.prototype.hasOwnProperty;

/** Keywords that never change the outcome of validation. */
const ANNOTATIONS = new Set(['$schema', '$comment', 'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const OBJECT_KEYWORDS = new Set(['properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties']);
const PRIMITIVE = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

// Type bits. `integer` is ajv's typeof number, !(x % 1), !isNaN, isFinite: Number.isInteger. `number` is stricter
// than ajv (which may let NaN or Infinity through): those answer "not sure".
const T = { string: 1, integer: 2, number: 4, boolean: 8, null: 16, object: 32, array: 64 } as const;

/** Groups of keywords, for Node.present. */
const K = { never: 1, types: 2, value: 4, string: 8, number: 16, object: 32 } as const;

function typeBits(v: unknown): number {
  switch (typeof v) {
    case 'string': return T.string;
    case 'number': return Number.isInteger(v) ? T.integer | T.number : Number.isFinite(v) ? T.number : 0;
    case 'boolean': return T.boolean;
    case 'object': return v === null ? T.null : Array.isArray(v) ? T.array : T.object;
    default: return 0;
  }
}

/**
 * One compiled schema. A single class, so every call site that tests a value is monomorphic (closures of many shapes
 * cost a megamorphic call per keyword); absent keywords are undefined fields and cost a predictable branch.
 */
class Node {
  types = 0; // 0: any type
  hasConst = false;
  constValue: unknown = undefined;
  enumValues: readonly unknown[] | undefined = undefined;
  pattern: RegExp | undefined = undefined;
  format: ((text: string) => boolean) | undefined = undefined;
  minLength = -1;
  maxLength = -1;
  minimum: number | undefined = undefined;
  maximum: number | undefined = undefined;
  exclusiveMinimum: number | undefined = undefined;
  exclusiveMaximum: number | undefined = undefined;
  // Object keywords; `isObjectSchema` when any is present.
  isObjectSchema = false;
  names: readonly string[] = [];
  /** Per name: required, so a missing value fails in the same read. */
  isRequired: readonly boolean[] = [];
  /** Required names without a schema in properties. */
  otherRequired: readonly string[] = [];
  props: readonly Node[] = [];
  propSchemas: Schema = {};
  extra: Node | undefined = undefined;
  propertyNames: Node | undefined = undefined;
  minProperties = -1;
  maxProperties = -1;

  /** Which keywords are present (K bits), set once compiled: one field to test instead of one per keyword. */
  present = 0;

  test(v: unknown): boolean {
    const k = this.present;
    if (k === 0) return true;
    if ((k & K.never) !== 0) return false;
    if ((k & K.types) !== 0 && (typeBits(v) & this.types) === 0) return false;
    if ((k & K.value) !== 0 && !this.testValue(v)) return false;
    // Each keyword below is checked only on the type it applies to; any other type answers "not sure".
    if ((k & K.string) !== 0 && !this.testString(v)) return false;
    if ((k & K.number) !== 0 && !this.testNumber(v)) return false;
    return (k & K.object) === 0 || this.testObject(v);
  }

  private testValue(v: unknown): boolean {
    if (this.hasConst && v !== this.constValue) return false;
    return this.enumValues === undefined || this.enumValues.includes(v);
  }

  private testString(v: unknown): boolean {
    if (typeof v !== 'string') return false;
    if (this.pattern !== undefined && !this.pattern.test(v)) return false;
    if (this.format !== undefined && !this.format(v)) return false;
    // A string never has more code points than UTF-16 units: the cheap length decides when it is short enough.
    if (this.maxLength >= 0 && v.length > this.maxLength && ucs2length(v) > this.maxLength) return false;
    return this.minLength < 0 || ucs2length(v) >= this.minLength;
  }

  private testNumber(v: unknown): boolean {
    if (!isFiniteNumber(v)) return false;
    if (this.minimum !== undefined && !(v >= this.minimum)) return false;
    if (this.maximum !== undefined && !(v <= this.maximum)) return false;
    if (this.exclusiveMinimum !== undefined && !(v > this.exclusiveMinimum)) return false;
    return this.exclusiveMaximum === undefined || v < this.exclusiveMaximum;
  }

  /**
   * Reads the data the way ajv's generated code does (without `ownProperties`): `data[name]` for properties and
   * required (an undefined value counts as missing), `for…in` (inherited enumerable keys too) for
   * additionalProperties and propertyNames.
   */
  private testObject(v: unknown): boolean {
    if (!isObject(v)) return false;
    const { otherRequired, names, props, isRequired } = this;
    for (let i = 0; i < otherRequired.length; i++) if (v[otherRequired[i]!] === undefined) return false;
    for (let i = 0; i < names.length; i++) {
      const x = v[names[i]!];
      if (x === undefined ? isRequired[i] : !props[i]!.test(x)) return false;
    }
    const { extra, propertyNames, propSchemas, minProperties, maxProperties } = this;
    const counted = minProperties >= 0 || maxProperties >= 0;
    if (extra === undefined && propertyNames === undefined) {
      if (!counted) return true;
      const n = Object.keys(v).length; // what ajv counts
      return (minProperties < 0 || n >= minProperties) && (maxProperties < 0 || n <= maxProperties);
    }
    // ajv counts Object.keys(v); for…in yields those and any inherited enumerable keys, so its count can only be
    // larger: enough for maxProperties. minProperties counts own keys, up to the minimum. No array per object.
    let [seen, own] = [0, 0];
    for (const key in v) {
      if (propertyNames !== undefined && !propertyNames.test(key)) return false;
      if (extra !== undefined && !hasOwn.call(propSchemas, key) && !extra.test(v[key])) return false;
      seen++;
      if (own < minProperties && hasOwn.call(v, key)) own++;
    }
    return (minProperties < 0 || own >= minProperties) && (maxProperties < 0 || seen <= maxProperties);
  }
}

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
