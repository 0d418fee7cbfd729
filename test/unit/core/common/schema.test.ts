/**
 * The schema pieces of core/common/schema.ts keep the promises valibot's own pieces do not: every
 * unknown key reported, a missing key reported by its own schema, no list where a mapping
 * belongs, a list over its maximum refused unread, a fraction or infinity failing like a wrong
 * type; and problems worded as the api's refusals have always been.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  finiteNumber,
  list,
  record,
  strictObject,
  wholeNumber,
} from '../../../../core/common/schema';
import { checkInput, type SchemaProblem } from '../../../../core/common/schema-problems';

function problems(schema: v.GenericSchema, input: unknown): readonly SchemaProblem[] {
  const checked = checkInput(schema, input);
  return checked.ok ? [] : checked.problems;
}

describe('schema pieces', () => {
  const point = strictObject({ x: v.string(), tag: v.optional(v.string(), 'none') });

  it('strictObject reports every unknown key, in the order the input has them, and fills in defaults', () => {
    expect(problems(point, { zz: 1, x: 'a', yy: 2 })).toEqual([
      {
        path: [],
        kind: 'unknown-keys',
        keys: ['zz', 'yy'],
        message: 'Unrecognized keys: "zz", "yy"',
      },
    ]);
    expect(checkInput(point, { x: 'a' })).toEqual({ ok: true, value: { x: 'a', tag: 'none' } });
  });

  it("strictObject reports a missing key by the key's own schema, and refuses a list", () => {
    expect(problems(point, {})).toEqual([
      {
        path: ['x'],
        kind: 'wrong-type',
        expected: 'string',
        message: 'Invalid input: expected string, received undefined',
      },
    ]);
    expect(problems(strictObject({ any: v.unknown() }), {})).toMatchObject([
      { path: ['any'], kind: 'wrong-type', expected: 'nonoptional' },
    ]);
    expect(problems(point, [])).toMatchObject([
      { path: [], kind: 'wrong-type', expected: 'object' },
    ]);
  });

  it('an object with only unknown keys wrong is still that option of a union', () => {
    const either = v.union([strictObject({ a: v.string() }), strictObject({ b: v.string() })]);
    expect(problems(either, { a: 'x', c: 1 })).toMatchObject([
      { kind: 'unknown-keys', keys: ['c'] },
    ]);
    expect(problems(either, { a: 1 })).toEqual([
      { path: [], kind: 'invalid', message: 'Invalid input' },
    ]);
  });

  it('record takes a mapping only, and checks each value at its key', () => {
    const settings = record(v.boolean());
    expect(problems(settings, [true])).toMatchObject([{ kind: 'wrong-type', expected: 'record' }]);
    expect(problems(settings, { a: true, b: 'no' })).toMatchObject([
      { path: ['b'], kind: 'wrong-type', expected: 'boolean' },
    ]);
  });

  it('list refuses a list over its maximum without reading its items', () => {
    let read = 0;
    const counted = v.pipe(
      v.unknown(),
      v.check(() => ++read > 0),
    );
    expect(problems(list(counted, 2, 'At most 2'), [1, 2, 3])).toEqual([
      { path: [], kind: 'invalid', message: 'At most 2' },
    ]);
    expect(read).toBe(0);
    expect(problems(list(v.number(), 2), [1, 'x'])).toMatchObject([
      { path: [1], kind: 'wrong-type', expected: 'number' },
    ]);
  });

  it('a fraction or infinity fails like a wrong type: no range check, and a union tries its other options', () => {
    const count = v.pipe(wholeNumber(), v.minValue(1), v.maxValue(10));
    expect(problems(count, 0.5)).toEqual([
      {
        path: [],
        kind: 'wrong-type',
        expected: 'int',
        message: 'Invalid input: expected int, received number',
      },
    ]);
    expect(problems(v.pipe(finiteNumber(), v.maxValue(10)), Infinity)).toMatchObject([
      {
        kind: 'wrong-type',
        expected: 'number',
        message: 'Invalid input: expected number, received Infinity',
      },
    ]);
    const type = v.union([v.picklist(['arp', 'ipv4']), count]);
    expect(problems(type, 1.5)).toMatchObject([{ kind: 'invalid', message: 'Invalid input' }]);
    expect(problems(type, 11)).toMatchObject([
      { kind: 'invalid', message: 'Too big: expected number to be <=10' },
    ]);
  });

  it('a number past the safe integers is reported against both bounds it breaks', () => {
    const count = v.pipe(wholeNumber(), v.minValue(1), v.maxValue(10));
    expect(problems(count, 2 ** 53).map((p) => p.message)).toEqual([
      'Too big: expected int to be <=9007199254740991',
      'Too big: expected number to be <=10',
    ]);
  });

  it('words the other problems as the api always has, or by their own message', () => {
    const id = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(3));
    expect(problems(id, '').map((p) => p.message)).toEqual(['must not be empty']);
    expect(problems(id, 'abcd').map((p) => p.message)).toEqual([
      'Too big: expected string to have <=3 characters',
    ]);
    expect(problems(v.picklist(['a', 'b']), 'c')).toEqual([
      {
        path: [],
        kind: 'not-one-of',
        options: ['"a"', '"b"'],
        message: 'Invalid option: expected one of "a"|"b"',
      },
    ]);
    expect(problems(v.literal(true), false)).toMatchObject([
      { kind: 'not-one-of', options: ['true'], message: 'Invalid input: expected true' },
    ]);
    expect(problems(v.pipe(v.string(), v.regex(/^x$/)), 'y').map((p) => p.message)).toEqual([
      'Invalid string: must match pattern /^x$/',
    ]);
  });
});
