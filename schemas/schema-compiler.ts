// Compiles JSON Schemas with the registry's ajv instance: ajv's validator and the precheck that lets valid events skip it.

import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Format, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { InvalidArgumentError } from '../domain/errors.ts';
import { ACCOUNTS_KEYWORD_DEFINITION } from './account-fields.ts';
import { isRequestId } from './envelope.ts';
import { knownToCompile } from './known-compiled.ts';
import { compilePrecheck } from './prevalidate.ts';
import type { FormatLookup, Precheck } from './prevalidate.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * A new ajv instance with the options and formats of every compiler here, and eventlake's keywords (the registry's,
 * and `schemas check`'s). Why imported, not required when first needed (which saved a command that compiles nothing
 * ≈ 60 ms of loading ajv): a bundler (esbuild, the stack's functions) cannot follow a `createRequire` call, so a
 * bundled function failed with "Cannot find module 'ajv/dist/2020.js'" at its first invalid event or user schema.
 */
export function newEventlakeAjv(): Ajv2020 {
  return withEventlakeKeywords(addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false })));
}

/** The formats ajv-formats adds to every ajv instance here (its default, "full" mode). */
function ajvFormats(): Readonly<Record<string, Format | undefined>> {
  return fullFormats as Readonly<Record<string, Format | undefined>>;
}

/** ajv-formats' `uuid` regex, a superset of REQUEST_ID_PATTERN. */
const UUID_FORMAT = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/**
 * ajv's reason a schema does not compile, with the fix where ajv's text has none: an unresolvable $ref is one to
 * another file or a URL, which eventlake never loads (no file beside the schema is read, nothing is fetched).
 */
export function compileProblem(cause: unknown): string {
  const message = (cause as Error).message;
  // A '#…' reference that does not resolve is a typo inside the file: ajv's text says enough.
  return /^can't resolve reference [^#]/.test(message)
    ? `${message}: a $ref may only point inside its own schema file (e.g. "#/$defs/Carrier"): eventlake reads no other file and fetches no URL, so copy the referenced schema into $defs`
    : message;
}

/**
 * `schema` compiled by `ajv` without its `$id` (several versions, or folders, may share one, which ajv refuses),
 * unless a `$ref` does not resolve so: then again with it, since a ref written against the file's own `$id`
 * (`parcel.v1.json#/$defs/Carrier`) points inside the file. Why not always with it: a schema that loaded without it
 * must load as before. The `$id` is removed from ajv at once, so the next file sharing it still compiles.
 */
export function compileWithoutId(ajv: Ajv2020, schema: Record<string, unknown>): ValidateFunction {
  try {
    return ajv.compile({ ...schema, $id: undefined });
  } catch (cause) {
    const id = schema['$id'];
    // An $id ajv holds already (its meta-schemas') is left alone: removing it would break every later compile.
    if (typeof id !== 'string' || !/^can't resolve reference /.test((cause as Error).message) || known(ajv, id)) throw cause;
    try {
      return ajv.compile(schema);
    } catch {
      throw cause;
    } finally {
      ajv.removeSchema(id);
    }
  }
}

/** Whether `ajv` resolves `id` already (an id it cannot parse counts as known, so that nothing is removed). */
function known(ajv: Ajv2020, id: string): boolean {
  try {
    return ajv.getSchema(id) !== undefined;
  } catch {
    return true;
  }
}

/**
 * `ajv` with eventlake's own schema keywords registered (strict mode refuses an unknown keyword): each an annotation
 * that never changes whether an event is valid, its value's shape checked by ajv.
 */
export function withEventlakeKeywords(ajv: Ajv2020): Ajv2020 {
  ajv.addKeyword({ ...ACCOUNTS_KEYWORD_DEFINITION, metaSchema: { ...ACCOUNTS_KEYWORD_DEFINITION.metaSchema } });
  return ajv;
}

type Compiled = { validate: ValidateFunction; precheck: Precheck | undefined };

/**
 * Validators compiled in this process, by their schema's text. Why: every registry (each lake opened, each rebuild,
 * each CLI command's runtime) compiled every schema again, ≈ 50 ms per registry of the built-in ones alone; a
 * validator depends on nothing but that text and the fixed ajv options every compiler shares, so one compiled function
 * serves them all (ajv's `errors` are read right after each call, as within one registry).
 */
const compiledByText = new Map<string, Compiled>();

/** One ajv instance (draft 2020-12, strict, every error, ajv-formats' formats) and the schemas compiled with it. */
export class SchemaCompiler {
  // Made at the first schema not compiled before: making one compiles ajv's own keyword definitions (≈ 20 ms).
  private ajvMade: Ajv2020 | undefined;
  private get ajv(): Ajv2020 {
    return (this.ajvMade ??= newEventlakeAjv());
  }

  /**
   * As compile(), but for a schema known to compile (known-compiled.ts) left to the first read of `validate` or
   * `precheck`: it cannot fail, so nothing the registry reports at open moves, and a command that validates no event
   * of its type never pays for it (≈ 100 ms for ajv's meta-schema and the built-in schemas).
   */
  compileWhenUsed(file: string, schema: Record<string, unknown>): Compiled {
    const text = JSON.stringify(schema);
    if (compiledByText.has(text) || !knownToCompile(text)) return this.compile(file, schema);
    // Apart: the precheck needs no ajv instance (formatLookup), and it answers for most valid events, which then
    // never need ajv's validator (an emit of valid events compiles none).
    let validate: ValidateFunction | undefined;
    let precheck: { of: Precheck | undefined } | undefined;
    const validateOf = (): ValidateFunction => (validate ??= this.compile(file, schema).validate);
    const precheckOf = (): Precheck | undefined => (precheck ??= { of: compilePrecheck({ ...schema, $id: undefined }, this.formatLookup) }).of;
    return { get validate() { return validateOf(); }, get precheck() { return precheckOf(); } };
  }

  /** The validator of `schema` and its precheck, when its keywords allow one; `file` is named in the error. */
  compile(file: string, schema: Record<string, unknown>): Compiled {
    const text = JSON.stringify(schema);
    const known = compiledByText.get(text);
    if (known) return known;
    const compiled = this.compileNew(file, schema);
    compiledByText.set(text, compiled);
    return compiled;
  }

  private compileNew(file: string, schema: Record<string, unknown>): Compiled {
    let validate: ValidateFunction;
    const compiled = { ...schema, $id: undefined };
    try {
      validate = compileWithoutId(this.ajv, schema);
    } catch (cause) {
      throw new InvalidArgumentError(file, `not a valid JSON Schema (draft 2020-12): ${compileProblem(cause)}`);
    }
    const precheck = compilePrecheck(compiled, this.formatLookup);
    return { validate, precheck };
  }

  /**
   * The ajv instance's own string formats, for the precheck (RegExp, function or synchronous string definition): those
   * ajv-formats adds to it, read from ajv-formats itself so that a precheck needs no ajv instance (compileWhenUsed).
   */
  readonly formatLookup: FormatLookup = (name) => {
    const f = ajvFormats()[name];
    if (f === true) return () => true;
    const def = f instanceof RegExp || typeof f === 'function' ? f : f && typeof f === 'object' && !f.async && (f.type ?? 'string') === 'string' ? f.validate : undefined;
    // ajv-formats' uuid accepts every RequestId-shaped string: testing that first lets the envelope check, which
    // follows with the same string, answer from isRequestId's memo instead of a second case-insensitive regex.
    if (def instanceof RegExp && name === 'uuid' && def.source === UUID_FORMAT.source && def.flags === UUID_FORMAT.flags) return (text) => isRequestId(text) || def.test(text);
    if (def instanceof RegExp) return (text) => def.test(text);
    if (typeof def === 'function') return (text) => (def as (s: string) => boolean)(text) === true;
    return undefined;
  };
}
