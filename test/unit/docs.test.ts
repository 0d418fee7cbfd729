/**
 * docs/ in step with the code (docs/README.md). What the code knows is documented in the right
 * file: lab-format.md has every key of the lab schema, every traffic step and objective check
 * kind with its fields, every format code, every CLI option and every schema bound; rules.md has
 * every rule ID, error code, drop code and warning, each under the rule the code gives it. And
 * the docs' examples are true: each example lab passes `check`, gives exactly the problems of the
 * `check` output shown after it and the `run --json` report shown after it, and each traffic step
 * does what its comment says (`# refused: CODE`, `# fails: REASON`, `# allowed`). Every link leads
 * somewhere. Reads the repository only, never the shared spec.
 *
 * Unions with no runtime list (drop codes, error codes…) are listed here as `Record<Union, true>`
 * literals: the compiler refuses a list with a member missing or extra, so a new code in the
 * code fails `tsc` until it is added here, and then this test until it is documented.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainRule } from '../../core/api/explain';
import { parseLab, runLab } from '../../core/lab';
import {
  accountSchema,
  adapterSchema,
  attemptSchema,
  checkpointSchema,
  checkSchemas,
  choiceSchema,
  externalHostSchema,
  fateKeysSchema,
  labFileSchema,
  nestedSwitchSchema,
  networkSchema,
  objectiveSchema,
  simSchema,
  stepSchemas,
  studentSchema,
  userSchema,
  vmSchema,
} from '../../core/lab/schema';
import type { FormatCode, Lab, RuleCode } from '../../core/model';
import { DEFAULT_SIM } from '../../core/model';
import {
  applyEdit,
  promiscuousFace,
  type EditCommand,
  type PromiscuousFace,
} from '../../core/rules';
import { DROP_REASONS, type DropReason, type SimRule, type WarnReason } from '../../core/sim/types';
import { jsonSchemaOf, labJsonSchema } from '../../scripts/gen-schema';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const read = (file: string): string => readFileSync(join(DOCS, file), 'utf8');
const LAB_FORMAT = read('lab-format.md');
const RULES = read('rules.md');

/** Every member of a string union; the compiler checks the literal has each one, and no other. */
function everyMember<T extends string>(members: Record<T, true>): T[] {
  return Object.keys(members) as T[];
}

const DROP_CODES = [...DROP_REASONS];
const WARN_CODES = everyMember<WarnReason>({ 'mac-conflict': true, 'mac-flap': true });
const SIM_RULES = everyMember<SimRule>({
  F1: true,
  F2: true,
  F3: true,
  F4: true,
  F5: true,
  F6: true,
  F7: true,
  D1: true,
  D2: true,
  D3: true,
  D4: true,
  D5: true,
  D6: true,
});
const RULE_CODES = everyMember<RuleCode>({
  'feature-disabled': true,
  'permission-denied': true,
  'admin-only': true,
  'vm-not-stopped': true,
  'one-per-network': true,
  'unsupported-architecture': true,
  'nested-virtualization-required': true,
  'nested-vms-present': true,
  'duplicate-mac': true,
  'duplicate-id': true,
  'invalid-address': true,
  'not-found': true,
  'invalid-request': true,
  locked: true,
});
const FORMAT_CODES = everyMember<FormatCode>({
  'yaml-syntax': true,
  'file-too-large': true,
  'alias-limit': true,
  'duplicate-key': true,
  'forbidden-key': true,
  'unknown-key': true,
  'missing-key': true,
  'wrong-type': true,
  'invalid-value': true,
  'unsupported-version': true,
  'checkpoint-no-answer': true,
  'checkpoint-ambiguous': true,
});
const FACES = everyMember<PromiscuousFace>({ hidden: true, 'read-only': true, editable: true });

/** The rule set of the product's semantics (v1): rules.md covers all of it. */
const RULE_SET = [
  ...['P1', 'P2', 'P3', 'P4', 'P5', 'P6'],
  ...['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7'],
  ...['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'],
  ...['D1', 'D2', 'D3', 'D4', 'D5', 'D6'],
];

// ---------------------------------------------------------------------------------------------
// Reading Markdown: sections, table rows, code spans, fenced blocks, links.

/** The text under a heading (its exact text), up to the next heading of the same or a higher level. */
function section(doc: string, heading: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = (lines[start] ?? '').indexOf(' ');
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^#+ /.test(l) && l.indexOf(' ') <= level);
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

/** Table rows (not the header's separator) as their cells. */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

const firstCells = (text: string): string[] => rows(text).map((r) => r[0] ?? '');

/** The first code span of a cell: "`ping: { from, to }`" → "ping: { from, to }". */
function code(cell: string): string | undefined {
  return /`([^`]+)`/.exec(cell)?.[1];
}

/** The row whose first cell is exactly `` `name` ``. */
function rowNamed(text: string, name: string): string[] | undefined {
  return rows(text).find((r) => r[0] === `\`${name}\``);
}

interface Block {
  readonly lang: string;
  readonly body: string;
}

function blocks(doc: string): Block[] {
  return [...doc.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? '',
    body: m[2] ?? '',
  }));
}

const DOC_FILES = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const ALL_BLOCKS = DOC_FILES.flatMap((file) =>
  blocks(read(file)).map((block, i, list) => ({ file, block, next: list[i + 1] })),
);
/** Example labs: yaml blocks that start with the format version, named by file and title. */
const EXAMPLES = ALL_BLOCKS.filter(
  ({ block }) => block.lang === 'yaml' && block.body.startsWith('nestlab: 1'),
).map((e) => ({
  ...e,
  name: `${e.file}, ${/^title: (.*)$/m.exec(e.block.body)?.[1] ?? 'untitled'}`,
}));

/** `nestlab check` output lines: "error PATH: message [code, rule] FILE:LINE:COLUMN". */
const CHECK_LINE =
  /^\s+(error|warning)(?: (\S+))?: .* \[([a-z-]+), ([A-Za-z0-9]+)\] \S+:(\d+):(\d+)$/;
const isCheckOutput = (b: Block | undefined): boolean =>
  b?.lang === 'text' && b.body.split('\n').some((l) => CHECK_LINE.test(l));

function parseExample(body: string): Lab {
  const parsed = parseLab(body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.violations));
  return parsed.lab;
}

/** A heading's anchor as GitHub makes it. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(doc: string): Set<string> {
  return new Set(
    doc
      .split('\n')
      .filter((l) => /^#+ /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ''))),
  );
}

/** Every `.ts` file under core/, for the rule IDs the code writes as values. */
function coreSources(dir = join(ROOT, 'core')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return coreSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The keys of an object schema (the step and check tables hold a few non-objects). */
function keysOf(schema: unknown): string[] {
  const entries = (schema as { entries?: unknown }).entries;
  return typeof entries === 'object' && entries !== null ? Object.keys(entries) : [];
}

// ---------------------------------------------------------------------------------------------

describe('docs/lab-format.md documents the lab file the parser reads', () => {
  it('lists every top-level key of the lab schema, and no key the schema does not have', () => {
    const documented = firstCells(section(LAB_FORMAT, 'Top-level keys'))
      .map(code)
      .filter((c): c is string => c !== undefined);
    expect(documented.sort()).toEqual(Object.keys(labFileSchema.entries).sort());
  });

  const records: [string, string, unknown][] = [
    ['Account and users', 'account', accountSchema],
    ['Account and users', 'account.request', accountSchema.entries.request.wrapped],
    ['Account and users', 'users[]', userSchema],
    ['Networks', 'networks[]', networkSchema],
    ['External hosts', 'external[]', externalHostSchema],
    ['VMs', 'vms[]', vmSchema],
    ['Adapters', 'adapters[]', adapterSchema],
    ['Nested switches and nested VMs', 'switches[]', nestedSwitchSchema],
    ['Objectives', 'objectives[]', objectiveSchema],
    ['Simulation settings (`sim`)', 'sim', simSchema],
    ['Checkpoints', 'checkpoints[]', checkpointSchema],
    ['Checkpoints', 'choices[]', choiceSchema],
    ['Checkpoints', 'fate', fateKeysSchema],
    ['What a student may change (`student`)', 'student', studentSchema],
    ['Saved attempts (`attempt`)', 'attempt', attemptSchema],
  ];
  it.each(records)('has a row in "%s" for every key of %s', (heading, _record, schema) => {
    const documented = new Set(firstCells(section(LAB_FORMAT, heading)).map(code));
    const keys = keysOf(schema);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('gives the defaults the parser applies to sim settings', () => {
    const table = section(LAB_FORMAT, 'Simulation settings (`sim`)');
    for (const [key, value] of Object.entries(DEFAULT_SIM))
      expect(rowNamed(table, key)?.[2], key).toBe(String(value));
  });

  /** Rows whose first cell is `kind: { … }` or `kind`, grouped by kind. */
  function kindRows(text: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const cell of firstCells(text)) {
      const span = code(cell);
      const kind = span === undefined ? undefined : /^(\w+)(:|$)/.exec(span)?.[1];
      if (kind !== undefined && span !== undefined) out.set(kind, `${out.get(kind) ?? ''} ${span}`);
    }
    return out;
  }

  it('has a row for every traffic step kind naming each of its fields, and no other kind', () => {
    const documented = kindRows(section(LAB_FORMAT, 'Traffic script'));
    expect([...documented.keys()].sort()).toEqual(Object.keys(stepSchemas).sort());
    for (const [kind, schema] of Object.entries(stepSchemas))
      for (const field of keysOf(schema))
        expect(documented.get(kind), `${kind}.${field}`).toMatch(new RegExp(`\\b${field}\\b`));
  });

  it('has a row for every objective check kind naming each of its fields, and no other kind', () => {
    const checks = section(LAB_FORMAT, 'Objectives');
    const documented = kindRows(checks);
    const kinds = Object.keys(checkSchemas);
    expect(kinds.filter((k) => !documented.has(k))).toEqual([]);
    for (const [kind, schema] of Object.entries(checkSchemas))
      for (const field of keysOf(schema))
        expect(documented.get(kind), `${kind}.${field}`).toMatch(new RegExp(`\\b${field}\\b`));
    // Rows of the check table are check kinds; the keys table above it is checked separately.
    const objectiveKeys = keysOf(objectiveSchema);
    const other = [...documented.keys()].filter(
      (k) => !kinds.includes(k) && !objectiveKeys.includes(k),
    );
    expect(other).toEqual([]);
  });

  it('explains every format code in the section on what check reports', () => {
    const text = section(LAB_FORMAT, 'What `nestlab check` reports');
    expect(FORMAT_CODES.filter((c) => rowNamed(text, c) === undefined)).toEqual([]);
  });

  it('documents every option the command line accepts', () => {
    const cli = readFileSync(join(ROOT, 'core/node/cli.ts'), 'utf8');
    const options = new Set([...cli.matchAll(/'(--[a-z]+)'/g)].map((m) => m[1] ?? ''));
    expect(options.size).toBeGreaterThan(0);
    const text = section(LAB_FORMAT, 'Command line');
    expect([...options].filter((o) => !text.includes(o))).toEqual([]);
  });

  it('keeps every bound the schema sets in the limits section', () => {
    const limits = section(LAB_FORMAT, 'Limits and run budgets');
    const bounds: [string, number][] = [];
    const take = (where: string, value: unknown): void => {
      if (typeof value === 'number' && Number.isFinite(value) && value < Number.MAX_SAFE_INTEGER)
        bounds.push([where, value]);
    };
    type JsonSchema = {
      properties?: Record<string, JsonSchema>;
      maximum?: number;
      maxItems?: number;
      items?: JsonSchema;
    };
    const lab = labJsonSchema() as JsonSchema;
    for (const [key, prop] of Object.entries(lab.properties?.sim?.properties ?? {}))
      take(`sim.${key}`, prop.maximum);
    take('traffic', lab.properties?.traffic?.maxItems);
    take('objectives', lab.properties?.objectives?.maxItems);
    const checkpoints = lab.properties?.checkpoints;
    take('checkpoints', checkpoints?.maxItems);
    take('checkpoints[].choices', checkpoints?.items?.properties?.choices?.maxItems);
    take('checkpoints[].before', checkpoints?.items?.properties?.before?.maximum);
    take('attempt.hints', lab.properties?.attempt?.properties?.hints?.maxItems);
    for (const [kind, schema] of Object.entries(stepSchemas)) {
      const json = jsonSchemaOf(schema) as JsonSchema;
      for (const [field, prop] of Object.entries(json.properties ?? {}))
        take(`${kind}.${field}`, prop.maximum);
    }
    expect(bounds.length).toBeGreaterThan(0);
    // The number on its own (`1,000` must not be found inside `1,000,000`), with or without commas.
    const written = (n: number): RegExp => {
      const commas = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      return new RegExp(`(?<![\\d,.])(${commas}|${n})(?![\\d,]*\\d)`);
    };
    const missing = bounds.filter(([, n]) => !written(n).test(limits));
    expect(missing).toEqual([]);
  });
});

describe('docs/rules.md documents every rule and code the code uses', () => {
  const ruleRows = (id: string): string[][] => rows(RULES).filter((r) => r[0] === id);

  it('has a rule row for every rule of the rule set P1–P6, A1–A7, F1–F7, D1–D6', () => {
    expect(RULE_SET.filter((id) => ruleRows(id).length === 0)).toEqual([]);
  });

  it('has a rule row for every rule ID the code writes as a value', () => {
    const used = new Set<string>(SIM_RULES);
    for (const file of coreSources())
      for (const m of readFileSync(file, 'utf8').matchAll(/'([PAFD][1-9][0-9]*)'/g))
        used.add(m[1] ?? '');
    expect(used.size).toBeGreaterThan(SIM_RULES.length);
    expect([...used].filter((id) => ruleRows(id).length === 0)).toEqual([]);
  });

  it('explains every error code of refused edits and violations', () => {
    const text = section(RULES, 'Error codes');
    expect(RULE_CODES.filter((c) => rowNamed(text, c) === undefined)).toEqual([]);
  });

  it.each(DROP_CODES)('documents drop code %s under the rule the explainer gives it', (reason) => {
    const rule = ruleOf(reason);
    const row = rowNamed(section(RULES, 'Drop codes'), reason);
    expect(row, reason).toBeDefined();
    expect(row?.[1]).toContain(rule);
  });

  it.each(WARN_CODES)('documents warning %s under the rule the explainer gives it', (reason) => {
    const row = rowNamed(section(RULES, 'Warnings'), reason);
    expect(row, reason).toBeDefined();
    expect(row?.[1]).toContain(ruleOf(reason));
  });

  it('names each face of the promiscuous field with the rule that gives it', () => {
    const text = section(RULES, 'The three faces of the promiscuous field');
    const cast = (feature: string, permission: boolean): Lab =>
      parseExample(
        `nestlab: 1\naccount: { promiscuousMode: ${feature} }\nusers: [{ name: u, role: user, promiscuous: ${permission} }]\nnetworks: [{ id: n }]\nvms: [{ id: v, adapters: [{ id: a, network: n, mac: '02:00:00:00:00:01' }] }]\n`,
      );
    const seen = [cast('disabled', false), cast('enabled', false), cast('enabled', true)].map(
      (lab) => promiscuousFace(lab, 'u', 'a'),
    );
    expect(seen.map((s) => s.face).sort()).toEqual([...FACES].sort());
    for (const { face, reason } of seen) {
      const row = rows(text).find((r) => r[0] === `**${face}**`);
      expect(row, face).toBeDefined();
      if (reason !== undefined) expect(row?.[2]).toContain(reason.rule);
    }
  });

  it('lists the refusal order the rules engine applies', () => {
    const listed = [...section(RULES, 'Order of refusals').matchAll(/^\d+\. `([a-z-]+)`$/gm)].map(
      (m) => m[1] ?? '',
    );
    expect(listed.length).toBeGreaterThan(0);
    // Peel the refusals of one edit that breaks every rule at once, one cause at a time.
    const lab = (feature: string, permission: boolean, arch: string, power: string): Lab =>
      parseExample(
        `nestlab: 1\naccount: { promiscuousMode: ${feature} }\nusers: [{ name: ana, role: admin, promiscuous: ${permission} }, { name: ben, role: user }]\nnetworks: [{ id: n }]\nvms:\n  - id: v\n    arch: ${arch}\n    power: ${power}\n    adapters:\n      - { id: a0, network: n, mac: '02:00:00:00:00:01', promiscuous: true }\n      - { id: a1, network: n, mac: '02:00:00:00:00:02' }\n`,
      );
    const refusal = (l: Lab, actor: string, command: EditCommand): string => {
      const result = applyEdit(l, actor, command);
      return result.ok ? 'ok' : result.code;
    };
    const enable: EditCommand = {
      type: 'adapter.setPromiscuous',
      adapter: 'a1',
      promiscuous: true,
    };
    const adapterEdit = [
      refusal(lab('disabled', false, 'power', 'running'), 'ana', enable),
      refusal(lab('enabled', false, 'power', 'running'), 'ana', enable),
      refusal(lab('enabled', true, 'power', 'running'), 'ana', enable),
      refusal(lab('enabled', true, 'x86_64', 'running'), 'ana', enable),
      refusal(lab('enabled', true, 'x86_64', 'stopped'), 'ana', enable),
    ];
    const grant: EditCommand = { type: 'user.setPermission', user: 'ben', promiscuous: true };
    const permissionEdit = [
      refusal(lab('disabled', false, 'x86_64', 'stopped'), 'ben', grant),
      refusal(lab('enabled', false, 'x86_64', 'stopped'), 'ben', grant),
    ];
    expect(adapterEdit).toEqual(listed.filter((c) => adapterEdit.includes(c)));
    expect(permissionEdit).toEqual(listed.filter((c) => permissionEdit.includes(c)));
    expect(new Set([...adapterEdit, ...permissionEdit])).toEqual(new Set(listed));
  });

  it.each(['1', '2', '3', '4', '5', '6', '7'])(
    'tells worked example E%s and links to its lab in labs/',
    (n) => {
      const heading = RULES.split('\n').find((l) => l.startsWith(`### E${n}: `));
      expect(heading).toBeDefined();
      const lab = readdirSync(join(ROOT, 'labs')).find((f) => f.startsWith(`e${n}-`));
      expect(lab).toBeDefined();
      expect(section(RULES, (heading ?? '').slice(4))).toContain(`(../labs/${lab ?? ''})`);
    },
  );
});

/** The rule the app's explainer (core/api/explain) files a drop or warning code under. */
function ruleOf(reason: DropReason | WarnReason): SimRule {
  const lab = parseExample('nestlab: 1\n');
  const found = SIM_RULES.filter((rule) => {
    const answer = explainRule({ reason, rule, at: 'x' }, { lab });
    return !('ok' in answer);
  });
  expect(found, reason).toHaveLength(1);
  return found[0] as SimRule;
}

describe('the examples in docs/ are true', () => {
  it('has example labs to check', () => {
    expect(EXAMPLES.length).toBeGreaterThan(3);
  });

  it.each(EXAMPLES.filter(({ next }) => !isCheckOutput(next)).map((e) => [e.name, e.block.body]))(
    'example lab (%s) passes nestlab check with no problem at all',
    (_file, body) => {
      expect(parseLab(body).violations).toEqual([]);
    },
  );

  it.each(EXAMPLES.filter(({ next }) => isCheckOutput(next)).map((e) => [e.name, e]))(
    'check output shown after example lab (%s) lists exactly its problems',
    (_file, { block, next }) => {
      const shown = (next?.body ?? '')
        .split('\n')
        .map((l) => CHECK_LINE.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map(([, severity, path, code, rule, line, column]) =>
          [severity, path ?? '', code, rule, `${line}:${column}`].join(' '),
        );
      const actual = parseLab(block.body).violations.map((v) =>
        [v.severity, v.path, v.code, v.rule, `${v.line}:${v.column}`].join(' '),
      );
      expect(shown).toEqual(actual);
    },
  );

  it.each(EXAMPLES.filter(({ next }) => next?.lang === 'json').map((e) => [e.name, e]))(
    'run --json output shown after example lab (%s) is what run reports for it',
    (_file, { block, next }) => {
      const shown: unknown = JSON.parse(next?.body ?? '');
      const report: Record<string, unknown> = { ...runLab(parseExample(block.body)) };
      // Reports from before the run budgets carry no `notices`: nothing cut, the docs' `[]`.
      report.notices ??= [];
      expect(report).toMatchObject(shown as object);
    },
  );

  it.each(EXAMPLES.map((e) => [e.name, e.block.body]))(
    'the outcome a comment gives a traffic step of example lab (%s) is what the step does',
    (_name, body) => {
      // "  - set: { … } # refused: permission-denied (P5)", "# fails: forged-source …", "# allowed: …"
      const lines = (/^traffic:\n((?: {2}.*\n)*)/m.exec(body)?.[1] ?? '')
        .split('\n')
        .filter((l) => l.startsWith('  - '));
      const claims = lines.flatMap((line, index) => {
        const m = / # (refused|fails|allowed)\b:? ?([a-z-]*)/.exec(line);
        return m ? [{ index, outcome: m[1] ?? '', code: m[2] ?? '' }] : [];
      });
      if (claims.length === 0) return;
      const report = runLab(parseExample(body));
      for (const { index, outcome, code } of claims) {
        const step = report.traffic[index];
        const label = `traffic[${index}]`;
        expect(step?.ok, label).toBe(outcome === 'allowed');
        if (outcome === 'refused') expect(step?.result, label).toMatchObject({ ok: false, code });
        if (outcome === 'fails') expect(step?.summary, label).toContain(code);
      }
    },
  );

  it('every json block parses', () => {
    const json = ALL_BLOCKS.filter(({ block }) => block.lang === 'json');
    expect(json.length).toBeGreaterThan(0);
    for (const { block } of json) expect(() => JSON.parse(block.body) as unknown).not.toThrow();
  });

  it('every relative link leads to an existing file and heading', () => {
    const broken: string[] = [];
    for (const file of DOC_FILES) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (target === undefined || /^[a-z]+:/.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const resolved = path === '' ? join(DOCS, file) : join(DOCS, path);
        const where = `${file} → ${target}`;
        if (!existsSync(resolved)) broken.push(`${where}: no ${relative(ROOT, resolved)}`);
        else if (anchor !== undefined && !anchors(readFileSync(resolved, 'utf8')).has(anchor))
          broken.push(`${where}: no heading #${anchor} in ${relative(ROOT, resolved)}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
