// The precheck's compiled tree at run time: one Node per schema, which tests a value the way ajv would accept it.

import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';

type Schema = Record<string, unknown>;

const ucs2length = (ucs2lengthModule as unknown as { default: (s: string) => number }).default ?? (ucs2lengthModule as unknown as (s: string) => number);
export const hasOwn = Object.prototype.hasOwnProperty;
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

// Type bits. `integer` is ajv's typeof number, !(x % 1), !isNaN, isFinite: Number.isInteger. `number` is stricter
// than ajv (which may let NaN or Infinity through): those answer "not sure".
export const T = { string: 1, integer: 2, number: 4, boolean: 8, null: 16, object: 32, array: 64 } as const;

/** Groups of keywords, for Node.present. */
export const K = { never: 1, types: 2, value: 4, string: 8, number: 16, object: 32 } as const;

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
export class Node {
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
