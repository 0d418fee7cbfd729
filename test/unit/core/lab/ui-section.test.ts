/**
 * The `ui` section: whatever the api stores there (`lab.setUi`) exports to a file that
 * `nestlab check` accepts and that re-imports equal; what a file could not hold (a key the
 * YAML reader refuses, nesting past its depth, values that are not plain data) is refused by
 * the api with a message that says what to do, and the lab stays as it was.
 */
import { describe, expect, it } from 'vitest';
import {
  NestlabService,
  type EditOutcome,
  type LabView,
  type OpenResult,
} from '../../../../core/api';
import type { ExportResult } from '../../../../core/api/contract';
import { isValid, parseLab, serializeLab } from '../../../../core/lab';
import type { Lab } from '../../../../core/model';

const LAB = `nestlab: 1
title: Ui
networks:
  - { id: lan, subnet: 10.0.0.0/24 }
vms:
  - id: a
    adapters:
      - { id: a-nic0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.1/24 }
`;

/** A mapping `levels` deep: `{ a: { a: … 1 } }`. */
function nested(levels: number): Record<string, unknown> {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as Record<string, unknown>;
}

function open(): { service: NestlabService; view: LabView } {
  const service = new NestlabService({ list: () => [], read: () => undefined });
  const opened = service.call('lab.openText', {
    text: LAB,
    fileName: 'ui.lab.yaml',
    as: 'trainer',
  }) as OpenResult;
  if (!opened.ok) throw new Error(opened.message);
  return { service, view: opened.view };
}

/** The lab the exported file gives back, or its violations. */
function reimported(lab: Lab): { lab?: Lab; problems: string[] } {
  const parsed = parseLab(serializeLab(lab));
  const problems = parsed.violations.map((v) => `${v.path} ${v.code}`);
  return parsed.ok && isValid(parsed) ? { lab: parsed.lab, problems } : { problems };
}

const ACCEPTED: Record<string, Record<string, unknown>> = {
  'a merge-key lookalike, alone': { '<<': 1 },
  'a merge-key lookalike beside other keys': { '<<': { a: 1 }, b: 2 },
  'keys YAML would read as other types': { '1': 'one', true: 'yes', null: 'none', '': 'empty' },
  'text YAML would read as other things': { s: '&a *a !!str - [x] #c', t: '---' },
  // `ui:` is the second of the file's 64 levels: 63 from the ui itself.
  '63 levels, the deepest a file holds': nested(63),
  'lists and mappings mixed': { positions: { web1: { x: 1.5, y: -2 } }, list: [[1], { k: [] }] },
};

describe('the ui section (lab.setUi)', () => {
  it('whatever lab.setUi accepts exports to a file that check accepts and re-imports equal', () => {
    for (const [what, ui] of Object.entries(ACCEPTED)) {
      const { service } = open();
      const edit = service.call('lab.setUi', { ui, actor: 'trainer' }) as EditOutcome;
      expect(edit.ok, what).toBe(true);
      const exported = service.call('lab.export', {}) as ExportResult;
      if (!exported.ok) throw new Error(exported.message);
      const back = parseLab(exported.text);
      expect(back.violations, what).toEqual([]);
      expect(back.ok && back.lab.ui, what).toEqual(ui);
      const lab = (service.call('lab.current', {}) as LabView).lab;
      expect(reimported(lab).lab, what).toEqual(lab);
    }
  });

  it('refuses a ui a lab file would refuse, saying what to do, and leaves the lab as it was', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const refused: [string, Record<string, unknown>, RegExp][] = [
      ['constructor', { constructor: 1 }, /key "constructor" in ui is not allowed.*rename it/],
      [
        'prototype, nested',
        { positions: { prototype: { x: 1, y: 2 } } },
        /key "prototype" in ui\.positions is not allowed/,
      ],
      ['__proto__', JSON.parse('{"a": {"__proto__": {"x": 1}}}'), /key "__proto__" in ui\.a/],
      ['64 levels', nested(64), /nested deeper than 63 levels .*Keep the ui flatter/],
      ['1,200 levels', nested(1200), /nested deeper than 63 levels \(at ui\.a\.a/],
      ['100,000 levels', nested(100_000), /nested deeper than 63 levels/],
      ['a cycle', cyclic, /nested deeper than 63 levels/],
      ['a Date', { at: new Date(0) }, /ui\.at is an object of its own kind/],
      ['a bigint', { n: 10n }, /ui\.n is a bigint; .*only text, numbers/],
      ['too much text', { s: 'x'.repeat(5 * 1024 * 1024 + 1) }, /more than 5,242,880 characters/],
      [
        'more values than a file holds',
        { list: new Array<number>(2_621_441).fill(0) },
        /more than 2,621,440 values/,
      ],
    ];
    for (const [what, ui, message] of refused) {
      const { service, view } = open();
      const edit = service.call('lab.setUi', { ui, actor: 'trainer' }) as EditOutcome;
      expect(edit, what).toMatchObject({ ok: false, code: 'invalid-request' });
      if (!edit.ok) expect(edit.message, what).toMatch(message);
      const now = service.call('lab.current', {}) as LabView;
      expect(now.lab, what).toEqual(view.lab);
      expect(now.revision, what).toBe(view.revision);
    }
  });
});
