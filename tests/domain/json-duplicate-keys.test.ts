// The duplicate-key scan behind every JSON ingest path: JSON.parse keeps the last of two equal keys without a word.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findDuplicateJsonKey, jsonPath, jsonPointer } from '../../domain/json-duplicate-keys.ts';

const test = suite('domain: findDuplicateJsonKey');

const validity = (text: string): boolean => { try { JSON.parse(text); return true; } catch { return false; } };

test('JSON text without a duplicate key (any value, any spacing) has none found', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 2 }), (value, indent) => {
    const text = JSON.stringify(value, null, indent);
    assert.ok(validity(text));
    assert.is(findDuplicateJsonKey(text), undefined);
  }), { numRuns: 500 });
});

test('one duplicate injected into an object at any depth is found: that key, its path, where it is', () => {
  // A value with objects, a path to one of them, a key it lacks (or holds): the key is written a second time there.
  fc.assert(fc.property(fc.jsonValue(), fc.string(), fc.jsonValue(), fc.nat(), (value, key, extra, pick) => {
    const objects: { path: (string | number)[]; object: Record<string, unknown> }[] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
      else if (v !== null && typeof v === 'object') {
        objects.push({ path, object: v as Record<string, unknown> });
        for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
      }
    };
    const root = { wrap: value };
    walk(root, []);
    const target = objects[pick % objects.length]!;
    // Mark the object so its text can be found, then write the key twice after the marker.
    const marker = '\u0000dup-marker\u0000';
    const marked = Object.assign(Object.create(null) as Record<string, unknown>, { [marker]: 0 }, target.object);
    delete marked[key];
    Object.keys(target.object).forEach((k) => { delete target.object[k]; });
    Object.assign(target.object, marked);
    const text = JSON.stringify(root).replace(`${JSON.stringify(marker)}:0`, () => `${JSON.stringify(marker)}:0,${JSON.stringify(key)}:${JSON.stringify(extra)},${JSON.stringify(key)}:1`);
    assert.ok(validity(text));
    const found = findDuplicateJsonKey(text);
    assert.equal(found && { key: found.key, path: found.path }, { key, path: [...target.path, key] });
    assert.is(text.slice(found!.offset).startsWith(`${JSON.stringify(key)}:1`), true);
  }), { numRuns: 500 });
});

test('a key written with an escape equals the same key written plainly', () => {
  assert.equal(findDuplicateJsonKey('{"a":1,"\\u0061":2}'), { key: 'a', path: ['a'], offset: 7 });
});

test('quotes, backslashes, braces and commas inside strings are no structure', () => {
  assert.is(findDuplicateJsonKey('{"a":"\\"b\\":1,{\\\\","b":"\\\\","c":["a","a"],"d":{"a":1}}'), undefined);
});

test('the same key in sibling and nested objects is no duplicate', () => {
  assert.is(findDuplicateJsonKey('[{"a":1},{"a":{"a":[{"a":2}]}},{"a":3}]'), undefined);
});

test('a duplicate in an object of many keys is found (past the linear search)', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`);
  assert.equal(findDuplicateJsonKey(`{${keys.join(',')},"k3":0}`)?.path, ['k3']);
  assert.equal(findDuplicateJsonKey(`{${keys.join(',')},"x":{"k3":0,"k3":1}}`)?.path, ['x', 'k3']);
});

test('a path reads as JSONPath and as a JSON Pointer', () => {
  assert.is(jsonPath([3, 'Details', 'Currency']), '$[3].Details.Currency');
  assert.is(jsonPath(['two words', 'a/b']), '$["two words"]["a/b"]');
  assert.is(jsonPointer(['a/b', 'c~d', 0]), '/a~1b/c~0d/0');
});

test.run();
