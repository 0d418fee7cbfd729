/**
 * The editor's `ui` section (renderer/src/state/editor-ui.ts): the positions it saves are ones a
 * lab file can hold, so the core's `lab.setUi` takes them and the lab still exports.
 */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../core/rules/commands';
import { uiWith, readPositions } from '../../../../renderer/src/state/editor-ui';

describe('editor ui section', () => {
  it('saves no position under an id a lab file cannot hold as a key, so lab.setUi takes the rest', () => {
    const positions = new Map([
      ['web1', { x: 10.04, y: 20 }],
      ['constructor', { x: 1, y: 2 }],
      ['prototype', { x: 3, y: 4 }],
      ['__proto__', { x: 5, y: 6 }],
    ]);
    const ui = uiWith({ keep: true }, positions);
    expect(ui).toEqual({ keep: true, positions: { web1: { x: 10, y: 20 } } });
    expect(readPositions(ui)).toEqual(new Map([['web1', { x: 10, y: 20 }]]));
    expect(parseCommand('lab.setUi', { ui })).toMatchObject({ ok: true });
  });
});
