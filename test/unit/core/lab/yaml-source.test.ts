/**
 * readYaml, the untrusted-text edge of lab files: the data it reads (YAML 1.2 core, as the
 * `yaml` package read it before the switch to js-yaml), every problem as a violation with its
 * code, path, line and column, the alias and depth guards, and `locate`.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { isAlias, LineCounter, parseDocument, stringify } from 'yaml';
import type { Node } from 'yaml';
import {
  MAX_ALIAS_COUNT,
  MAX_LAB_BYTES,
  parsePath,
  readYaml,
  utf8Length,
} from '../../../../core/lab/yaml-source';
import { formatPath } from '../../../../core/model';

const ROOT = new URL('../../../../', import.meta.url);
const SPEC_EXAMPLE =
  // lab-format.md's example, copied into the repo (no test reads the shared spec).
  readFileSync(new URL('./fixtures/spec-example.lab.yaml', import.meta.url), 'utf8');
const LABS = readdirSync(new URL('labs/', ROOT))
  .filter((name) => name.endsWith('.lab.yaml'))
  .map((name) => ({ name, text: readFileSync(new URL(`labs/${name}`, ROOT), 'utf8') }));

/** The reader before js-yaml, with its options: the reference the data must still match. */
function readWithYamlPackage(text: string): { ok: true; data: unknown } | { ok: false } {
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, merge: true });
    if (doc.errors.length > 0) return { ok: false };
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch {
    return { ok: false };
  }
}

/** The old `locate`: the yaml package's node at the path, or at its nearest ancestor. */
function yamlPackageLocator(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  return (path: string) => {
    for (let segments = parsePath(path); segments.length > 0; segments = segments.slice(0, -1)) {
      const node = doc.getIn(segments, true) as Node | undefined;
      if (node && !isAlias(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
}

function data(text: string): unknown {
  const result = readYaml(text);
  if (!result.ok) throw new Error(JSON.stringify(result.violations));
  return result.source.data;
}

function problems(text: string) {
  const result = readYaml(text);
  return result.ok
    ? []
    : result.violations.map(({ code, path, line, column }) => ({ code, path, line, column }));
}

function firstProblem(text: string) {
  const result = readYaml(text);
  if (result.ok) throw new Error(`expected a violation for ${JSON.stringify(text)}`);
  const [first] = result.violations;
  if (!first) throw new Error('a failed read reports at least one violation');
  return first;
}

/** Plain scalars whose type a YAML 1.1 reader, or a careless 1.2 one, gets wrong. */
const TRICKY_SCALARS = [
  ...['true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE'],
  ...['yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'y', 'n', 'Y', 'N'],
  ...['null', 'Null', 'NULL', 'nuLL', '~'],
  ...['0o17', '0O17', '-0o17', '+0o17', '0o', '0o8', '0x1f', '0x1F', '0X1F', '-0x1f', '+0x1f'],
  ...['0x', '012', '09', '00', '0', '-0', '+0', '+12', '-12', '1_000', '0b101', '0B101'],
  ...['.inf', '.Inf', '.INF', '-.inf', '+.inf', '.iNF', '.nan', '.NaN', '.NAN', '-.nan'],
  ...['1e3', '1E3', '1e+3', '1e-3', '-1e3', '+1e3', '1.5e3', '.5', '+.5', '-.5', '5.', '1.0'],
  ...['-1.5', '3.14159', '1.e3', '.e3', '1.2.3', '0.5', '00.5', '1e', 'e3'],
  ...['02:00:00:00:00:01', '00:00:5e:00:01:0a', 'ff:ff:ff:ff:ff:ff', '02-00-00-00-00-01'],
  ...['12:30:00', '1:20', '190:20:30', '-1:20', '2024-01-01', '2001-12-14t21:59:43.10-05:00'],
  ...['10.0.0.1', '10.0.0.0/24', '::1', 'fe80::1', '203.0.113.10', '9007199254740993'],
  ...['123456789012345678901234567890', '<<', '=', '-- x', 'x#y', 'esxi-nic0', 'lan:gateway'],
];

const TRICKY_DOCUMENTS: Record<string, string> = {
  'quoted numbers and escapes':
    'a: "0x1f"\nb: \'012\'\nc: "tab\\there"\nd: "\\u00e9\\x41\\U0001F600"\ne: \'it\'\'s\'\nf: ""\n',
  'quoted strings over several lines': 'a: "one\n  two\n\n  three"\nb: "line\\\n  joined"\n',
  'literal block scalars':
    'a: |\n  line1\n  line2\n\n  line4\nb: |-\n  strip\n\nc: |+\n  keep\n\nd: |2\n    indented\n',
  'folded block scalars': 'a: >\n  one\n  two\n\n  three\n    more\n  four\nb: >-\n  x\n  y\n',
  'plain scalars over several lines': 'a: one\n  two\n\n  three\nb: [one\n  two]\n',
  'flow maps': '{ a: 1, b: [x, y], "c": {d: ~}, e: , f }\n',
  'flow sequences': '[1, "2", [3], {a: 4}, yes, 0o17]\n',
  'block maps and sequences': 'a:\n  - 1\n  - - 2\n    - 3\n  - k: v\n    j: w\nb:\n- x\n- y\n',
  'empty values': "a:\nb: ~\nc: null\nd: ''\ne: []\nf: {}\ng:\n  -\n  - ~\n",
  'anchors and aliases': 'a: &x {b: 1}\nc: *x\nd: &s str\ne: *s\nf: [*x, *s]\ng: &e\nh: *e\n',
  'an anchor defined again': 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n',
  'merge keys: explicit keys win, earlier sources win':
    'b: &b {x: 1, y: 2}\no: &o {y: 3, z: 4}\nm1:\n  <<: *b\n  y: 9\nm2:\n  y: 9\n  <<: *b\nm3:\n  <<: [*b, *o]\nm4:\n  <<: [*o, *b]\n  w: 0\nm5:\n  <<: {a: 1}\n  b: 2\n',
  'a quoted << is an ordinary key': 'm:\n  "<<": 1\n',
  'two merge keys in one mapping': 'b: &b {x: 1}\nc: &c {y: 1}\nm:\n  <<: *b\n  <<: *c\n',
  comments: '# top\na: 1 # one\nb: "x # not" # two\nc: x#y\n',
  'explicit keys': '? a\n: 1\n? b\n',
  'document markers': '---\na: 1\n...\n',
  'a YAML 1.2 directive': '%YAML 1.2\n---\na: yes\n',
  'core tags':
    'a: !!str 012\nb: !!int "42"\nd: !!bool "true"\ne: !!null ""\nf: !!str\ng: !!map {a: 1}\nh: !!seq [1]\ni: !!int 0x1f\n',
  'keys that are numbers or booleans': '1: a\n1.5: b\ntrue: c\n0x10: d\n',
  'unicode, a byte-order mark, CRLF, tabs':
    '\ufeff名前: "ñ"\r\nemoji: 😀\r\nb: |\r\n  x\r\n  y\r\nc:\t1\n',
  'a sequence, a scalar, an empty document at the top': '- 1\n- 2\n',
  'a long line': `a: ${'x'.repeat(5000)}\n`,
};

describe('readYaml reads YAML 1.2 core, as the yaml package did', () => {
  it('reads every tricky plain scalar, as a value and as a key, to the same data', () => {
    // Null keys differ (below), so these scalars are compared as values only.
    const nulls = new Set(['null', 'Null', 'NULL', '~']);
    for (const scalar of TRICKY_SCALARS) {
      const texts = [
        `v: ${scalar}\n`,
        `[${scalar}]\n`,
        ...(nulls.has(scalar) ? [] : [`${scalar}: v\n`]),
      ];
      for (const text of texts) {
        // Both refuse the same texts (`<<: v` merges a scalar), and read the rest alike.
        const before = readWithYamlPackage(text);
        expect(readYaml(text).ok, text).toBe(before.ok);
        if (before.ok) expect(data(text), text).toStrictEqual(before.data);
      }
    }
    // What that means, spelled out: 1.2 core, no YAML 1.1 booleans, octals, sexagesimals or dates.
    expect(
      data('[yes, on, True, 0o17, 012, 0x1f, .inf, -.Inf, 1e3, 12:30:00, 2024-01-01]'),
    ).toEqual(['yes', 'on', true, 15, 12, 31, Infinity, -Infinity, 1000, '12:30:00', '2024-01-01']);
    expect(data('[02:00:00:00:00:01, ~, null, "", 1_000, 0b101, "0x1f"]')).toEqual([
      '02:00:00:00:00:01',
      null,
      null,
      '',
      '1_000',
      '0b101',
      '0x1f',
    ]);
    expect(Number.isNaN(data('.nan'))).toBe(true);
  });

  it('reads quoted, block and multi-line strings, flow and block collections, anchors and merge keys to the same data', () => {
    for (const [name, text] of Object.entries(TRICKY_DOCUMENTS)) {
      const before = readWithYamlPackage(text);
      if (!before.ok) throw new Error(`the yaml package refuses ${name}`);
      expect(data(text), name).toStrictEqual(before.data);
    }
  });

  it('reads the shipped labs and the example of lab-format.md to the same data', () => {
    for (const { name, text } of [...LABS, { name: 'lab-format.md', text: SPEC_EXAMPLE }]) {
      const before = readWithYamlPackage(text);
      expect(before.ok, name).toBe(true);
      if (before.ok) expect(data(text), name).toStrictEqual(before.data);
    }
  });

  it('where the two differ, follows YAML 1.2 core', () => {
    // `%YAML 1.1` made the yaml package switch to YAML 1.1 (`yes` true, `12:30` 750, `012`
    // octal 10). Lab files are YAML 1.2 (the app writes them so); one file type must not
    // change meaning with a header line, so js-yaml's 1.2 core applies to 1.1 documents too.
    expect(data('%YAML 1.1\n---\na: yes\nb: 12:30\nc: 012\nd: 0o17\n')).toEqual({
      a: 'yes',
      b: '12:30',
      c: 12,
      d: 15,
    });
    // 1.2 core §10.3.2: `1` matches the float tag's pattern; the yaml package left it a string.
    expect(data('a: !!float "1"\n')).toEqual({ a: 1 });
    // A null key names no JavaScript property; the yaml package made it "", js-yaml "null"
    // (String(null)). Neither is a lab key, so either way it is reported as unknown.
    expect(data('~: a\n')).toEqual({ null: 'a' });
  });

  it('reads whatever serializeLab’s writer (the yaml package) writes as the yaml package read it', () => {
    // Compared with the old reader, not with the value written: the writer itself loses a
    // line of spaces at the end of a block scalar (" \n" reads back as "\n", with either
    // reader). Not the forbidden keys, nor `<<`, which the writer leaves plain, so it reads as
    // a merge key (with either reader); a lab has neither.
    const forbidden = new Set(['__proto__', 'constructor', 'prototype', '<<']);
    const key = fc.string().filter((k) => !forbidden.has(k));
    const scalar = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary-ascii' }),
      fc.constantFrom(...TRICKY_SCALARS),
      fc.double({ noNaN: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node')),
        fc.dictionary(key, tie('node'), { noNullPrototype: true }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { noNullPrototype: true }), (record) => {
        const text = stringify(record);
        const before = readWithYamlPackage(text);
        expect(before.ok).toBe(true);
        if (before.ok) expect(data(text)).toStrictEqual(before.data);
      }),
      { numRuns: 300 },
    );
  });
});

describe('readYaml reports every problem as a violation, never a throw', () => {
  it('reports a YAML syntax error with its line and column, in the message too', () => {
    const problem = firstProblem('nestlab: 1\nvms:\n  - id: a\n   bad: [\n');
    expect(problem).toMatchObject({ code: 'yaml-syntax', path: '', line: 4, column: 4 });
    expect(problem.message).toMatch(/^YAML syntax error at line 4, column 4: /);
    // An unclosed quote runs on to the next line, which is not indented as a continuation must be.
    expect(firstProblem('a: "open\nb: 1\n')).toMatchObject({ code: 'yaml-syntax', line: 2 });
    expect(firstProblem('a: 1\r\nb: [\r\n')).toMatchObject({ code: 'yaml-syntax', line: 3 });
  });

  it('reports every duplicate key with its path and both lines', () => {
    const text =
      'nestlab: 1\nnetworks:\n  - { id: lan, id: dmz }\n  - id: x\n    name: a\n    name: b\n';
    expect(problems(text)).toEqual([
      { code: 'duplicate-key', path: 'networks[0].id', line: 3, column: 16 },
      { code: 'duplicate-key', path: 'networks[1].name', line: 6, column: 5 },
    ]);
    expect(firstProblem(text).message).toBe(
      'The key "id" appears twice in one mapping (lines 3 and 3); keep only one of them.',
    );
  });

  it('reports keys that are the same once read (1 and 0x1, true and True) as duplicates', () => {
    expect(problems('1: a\n0x1: b\n')).toEqual([
      { code: 'duplicate-key', path: '', line: 2, column: 1 },
    ]);
    expect(firstProblem('true: a\nTrue: b\n').code).toBe('duplicate-key');
  });

  it('lets an explicit key override a merged one, and merge keys repeat', () => {
    expect(data('b: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n  <<: {y: 3}\n')).toEqual({
      b: { x: 1 },
      m: { x: 2, y: 3 },
    });
  });

  it('reports __proto__, constructor and prototype however they are written', () => {
    const text = [
      'nestlab: 1', // 1
      'networks:', // 2
      '  - id: lan', // 3
      '    __proto__: { polluted: true }', // 4
      'ui:', // 5
      '  "constructor": 1', // 6
      "  ? 'prototype'", // 7
      '  : 1', // 8
      '  m:', // 9
      '    <<: { __proto__: { polluted: true } }', // 10
      '  k: &k __proto__', // 11
      '  a: { *k : 1 }', // 12
      '  t: { !!str constructor: 1 }', // 13
    ].join('\n');
    expect(problems(text)).toEqual([
      { code: 'forbidden-key', path: 'networks[0].__proto__', line: 4, column: 5 },
      { code: 'forbidden-key', path: 'ui.constructor', line: 6, column: 3 },
      { code: 'forbidden-key', path: 'ui.prototype', line: 7, column: 5 },
      { code: 'forbidden-key', path: 'ui.m.<<.__proto__', line: 10, column: 11 },
      { code: 'forbidden-key', path: 'ui.a.__proto__', line: 12, column: 8 },
      { code: 'forbidden-key', path: 'ui.t.constructor', line: 13, column: 14 },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`reports more than ${MAX_ALIAS_COUNT} aliases at the one past the limit`, () => {
    const lines = ['a: &a 1', ...Array.from({ length: MAX_ALIAS_COUNT }, (_, i) => `b${i}: *a`)];
    expect(readYaml(lines.join('\n')).ok).toBe(true);
    const text = [...lines, 'c: *a'].join('\n');
    expect(problems(text)).toEqual([
      { code: 'alias-limit', path: 'c', line: MAX_ALIAS_COUNT + 2, column: 4 },
    ]);
    expect(firstProblem(text).message).toContain('write those values out');
  });

  it('rejects a doubling chain of aliases by its expanded size, though js-yaml would share it', () => {
    // 50 anchors, each a pair of aliases to the one before: 100 aliases, 2^50 values expanded.
    // a_i stands for 3·2^i − 1 values; the running total passes 5 MB / 2 inside a19.
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i <= 50; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
    const problem = firstProblem(lines.join('\n'));
    expect(problem).toMatchObject({ code: 'alias-limit', path: 'a19[1]', line: 20, column: 18 });
    expect(problem.message).toMatch(
      /expand to more than \d+ values .*Write the repeated values out/,
    );
    // "Billion laughs": 8 levels of 10 aliases, within the alias count.
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      laughs.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect(firstProblem(laughs.join('\n')).code).toBe('alias-limit');
  });

  it('counts a merged alias as everything it brings in', () => {
    const lines = ['a0: &a0 {x: 1}'];
    for (let i = 1; i <= 40; i++) lines.push(`a${i}: &a${i} {<<: [*a${i - 1}], k${i}: *a${i - 1}}`);
    // a_i stands for about 7·2^i values: the total passes 5 MB / 2 at a18's merge.
    expect(firstProblem(lines.join('\n'))).toMatchObject({
      code: 'alias-limit',
      path: 'a18.<<[0]',
    });
    expect(firstProblem(lines.join('\n')).message).toContain('expand to more than');
  });

  it('rejects an alias inside the value it names', () => {
    expect(problems('ui: &loop\n  again: *loop\n')).toEqual([
      { code: 'alias-limit', path: 'ui.again', line: 2, column: 10 },
    ]);
    expect(firstProblem('- &s [1, *s]').message).toContain('would contain itself');
  });

  it('rejects nesting deeper than 64 levels, written out or through aliases, at its line', () => {
    const flow = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const block = (depth: number) =>
      Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n';
    const blockList = (depth: number) =>
      Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}-`).join('\n') +
      `\n${'  '.repeat(depth)}x\n`;
    for (const nest of [flow, block, blockList]) {
      expect(readYaml(nest(64)).ok, nest.name).toBe(true);
      const problem = firstProblem(nest(65));
      expect(problem.code, nest.name).toBe('yaml-syntax');
      expect(problem.message).toMatch(/nested deeper than 64 levels at line \d+, column \d+/);
      expect(problem.line, nest.name).toBeGreaterThan(0);
      // Far deeper: js-yaml stops first, with the same message and never a stack overflow.
      const far = firstProblem(nest(nest === flow ? 100_000 : 1000));
      expect(far.message).toMatch(/nested deeper than 64 levels at line/);
    }
    // Where the 65th level starts; past 66, js-yaml's own bound stops first, a line further on.
    expect(firstProblem(block(65)).line).toBe(65);
    expect(firstProblem(block(70)).line).toBe(66);
    // The root mapping, 26 levels around the alias and 40 behind it: 67 once code follows it;
    // 37 behind it make exactly 64.
    const viaAlias = `a: &a ${flow(40)}\nb: ${'['.repeat(26)}*a${']'.repeat(26)}\n`;
    expect(problems(viaAlias)).toEqual([
      { code: 'alias-limit', path: `b${'[0]'.repeat(26)}`, line: 2, column: 30 },
    ]);
    expect(firstProblem(viaAlias).message).toContain('nested deeper than 64 levels');
    expect(readYaml(`a: &a ${flow(37)}\nb: ${'['.repeat(26)}*a${']'.repeat(26)}\n`).ok).toBe(true);
  });

  it('reports nesting of any shape 100,000 levels deep as nested deeper than 64 levels at its line, never a stack overflow', () => {
    const levels = 100_000;
    const shapes: Record<string, string> = {
      'flow sequences': `${'['.repeat(levels)}${']'.repeat(levels)}`,
      'flow sequences, unclosed': '['.repeat(levels),
      'flow mappings': `${'{a: '.repeat(levels)}1${'}'.repeat(levels)}`,
      'JSON mappings': `${'{"a": '.repeat(levels)}1${'}'.repeat(levels)}`,
      'mappings as keys': '{'.repeat(levels),
      'mixed, in a lab': `nestlab: 1\nui: ${'[{a: '.repeat(levels)}1${'}]'.repeat(levels)}`,
      'one line of block sequences': `${'- '.repeat(levels)}x`,
      'explicit keys': `${'? '.repeat(levels)}x`,
      'tagged and anchored': `${'!!seq &a ['.repeat(levels)}`,
      'flow sequences over lines': '[\n'.repeat(levels),
      'block mappings': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    };
    for (const [shape, text] of Object.entries(shapes)) {
      const problem = firstProblem(text);
      expect(problem.message, shape).toMatch(
        /nested deeper than 64 levels at line \d+, column \d+/,
      );
      expect(problem.line, shape).toBeGreaterThan(0);
    }
  });

  it('rejects a file with more than one document, pointing at the second', () => {
    expect(problems('nestlab: 1\n---\nnestlab: 1\n')).toEqual([
      { code: 'yaml-syntax', path: '', line: 2, column: 1 },
    ]);
    expect(problems('nestlab: 1\n...\n# next\nb: 2\n')).toEqual([
      { code: 'yaml-syntax', path: '', line: 4, column: 1 },
    ]);
    expect(firstProblem('a: 1\n---\n').message).toContain('more than one YAML document');
  });

  it('reports an empty or comment-only file as empty', () => {
    for (const text of ['', '\n\n', '# only a comment\n', '\ufeff']) {
      expect(firstProblem(text)).toMatchObject({ code: 'wrong-type', path: '' });
      expect(firstProblem(text).message).toContain('The file is empty');
    }
  });

  it('rejects a file over 5 MB by its UTF-8 size, before parsing', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    const text = `a: "${'é'.repeat(MAX_LAB_BYTES / 2)}"\n`; // under 5 M characters, over 5 MB
    expect(problems(text)).toEqual([
      { code: 'file-too-large', path: '', line: undefined, column: undefined },
    ]);
  });

  it('reports tags other than YAML 1.2 core’s at their line instead of guessing a value', () => {
    // The yaml package made !!binary a Node Buffer and !!timestamp a Date, and kept a local
    // tag's text; none of those is lab data, so js-yaml's refusal stands.
    for (const [text, column] of [
      ['a: 1\nb: !!binary AAAA\n', 4],
      ['a: 1\nb: !!timestamp 2024-01-01\n', 4],
      ['a: 1\nb: !local x\n', 4],
      ['a: 1\nb: !!js/function "x"\n', 4],
    ] as const) {
      expect(firstProblem(text), text).toMatchObject({ code: 'yaml-syntax', line: 2, column });
    }
    expect(firstProblem('a: *nope\n')).toMatchObject({ code: 'yaml-syntax', line: 1 });
    expect(firstProblem('[a]: 1\n')).toMatchObject({ code: 'yaml-syntax', line: 1 });
  });

  it('never throws on arbitrary text', () => {
    const yamlish = fc.string({
      unit: fc.constantFrom(...'ab1 :-?[]{},&*!|>\'"#%@`~\n\t\r\\<.'.split(''), '<<', '\u0000'),
      maxLength: 80,
    });
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ unit: 'binary' })), (text) => {
        const result = readYaml(text);
        if (!result.ok) expect(result.violations.length).toBeGreaterThan(0);
        else result.source.locate('a[0].b');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('locate', () => {
  it('finds every path of the shipped labs, and paths missing from them, where the yaml package did', () => {
    for (const { name, text } of [...LABS, { name: 'lab-format.md', text: SPEC_EXAMPLE }]) {
      const result = readYaml(text);
      if (!result.ok) throw new Error(name);
      const paths: string[] = [];
      const visit = (value: unknown, prefix: (string | number)[]): void => {
        paths.push(formatPath(prefix), formatPath([...prefix, 'missing']));
        if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...prefix, i]));
        else if (typeof value === 'object' && value !== null) {
          for (const [key, item] of Object.entries(value)) visit(item, [...prefix, key]);
        }
      };
      visit(result.source.data, []);
      const locateWithYamlPackage = yamlPackageLocator(text);
      for (const path of paths) {
        expect(result.source.locate(path), `${name} ${path}`).toEqual(locateWithYamlPackage(path));
      }
    }
  });

  it('points at a value: a quoted one at its quote, a block one at its indicator, an empty one at its key', () => {
    const text = [
      'nestlab: 1', // 1
      'title: "Quoted"', // 2
      'description: |  # notes | here', // 3
      '  Some text', // 4
      'vms:', // 5
      '  - id: a', // 6
      '    adapters: [{ id: a0, mac: "02:00:00:00:00:01" }]', // 7
      '    name:', // 8
    ].join('\n');
    const result = readYaml(text);
    if (!result.ok) throw new Error('valid');
    const at = (path: string) => result.source.locate(path);
    expect(at('title')).toEqual({ line: 2, column: 8 });
    expect(at('description')).toEqual({ line: 3, column: 14 });
    expect(at('vms[0].adapters[0].mac')).toEqual({ line: 7, column: 31 });
    expect(at('vms[0].name')).toEqual({ line: 8, column: 5 });
    expect(at('vms[0]')).toEqual({ line: 6, column: 5 });
  });

  it('reports a missing key at its parent, and a key reached only through an alias or merge at what is written', () => {
    const text = [
      'ui:', // 1
      '  base: &base { power: stopped, adapters: [x] }', // 2
      'vms:', // 3
      '  - <<: *base', // 4
      '    id: a', // 5
      '  - adapters: *list', // 6
      'list: &list [{ id: n }]', // 7
    ].join('\n');
    const result = readYaml(text.replace('*list', '[]'));
    if (!result.ok) throw new Error('valid');
    expect(result.source.locate('vms[0].adapters[3].mac')).toEqual({ line: 4, column: 5 });
    expect(result.source.locate('vms[0].power')).toEqual({ line: 4, column: 5 });
    expect(result.source.locate('vms[7]')).toEqual({ line: 4, column: 3 });
    expect(result.source.locate('nowhere.at.all')).toBeUndefined();
    expect(result.source.locate('')).toBeUndefined();
    const aliased = readYaml(
      ['list: &list [{ id: n }]', 'vms:', '  - adapters: *list', '    id: a'].join('\n'),
    );
    if (!aliased.ok) throw new Error('valid');
    expect(aliased.source.locate('vms[0].adapters[0].id')).toEqual({ line: 3, column: 15 });
  });

  it('counts CRLF and a lone CR as line breaks', () => {
    for (const eol of ['\r\n', '\r']) {
      const result = readYaml(['a: 1', 'b:', '  c: [x, "y"]'].join(eol));
      if (!result.ok) throw new Error('valid');
      expect(result.source.locate('b.c[1]')).toEqual({ line: 3, column: 10 });
    }
  });

  it('reads paths as lab-format.md writes them', () => {
    expect(parsePath('vms[1].adapters[0].mac')).toEqual(['vms', 1, 'adapters', 0, 'mac']);
    expect(parsePath('')).toEqual([]);
    // Keys that could be misread are written quoted, and read back as themselves.
    for (const segments of [
      ['attempt', 'answers', 'x.y'],
      ['attempt', 'answers', 'x[0]'],
      ['attempt', 'answers', ''],
      ['ui', 'say "hi"', 3, 'a\\b'],
    ])
      expect(parsePath(formatPath(segments))).toEqual(segments);
    expect(formatPath(['attempt', 'answers', 'x.y'])).toBe('attempt.answers["x.y"]');
  });
});
