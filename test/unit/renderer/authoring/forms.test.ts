/**
 * The exercise editors' forms as data (renderer/src/authoring/forms.ts): what a form sends is
 * the lab file's plain form; a step moved or removed carries the checkpoints asked before it;
 * what a form does not show of a step stays as it was.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPlain,
  configPlain,
  hiddenOf,
  readConfig,
  scriptChange,
  stepPlain,
} from '../../../../renderer/src/authoring/forms';

const steps = [{ ping: { from: 'a', to: 'b' } }, { wait: { seconds: 1 } }, { approve: {} }];
const asked = (before: number, id: string) => ({ id, before, question: '?', choices: [] });

describe('scriptChange', () => {
  it('moving a step down takes its checkpoint along, and the step it swaps with keeps its own', () => {
    const changed = scriptChange(steps, [asked(0, 'first'), asked(1, 'second')], 0, 1);
    expect(changed.traffic).toEqual([steps[1], steps[0], steps[2]]);
    expect(changed.checkpoints.map((c) => [c.id, c.before])).toEqual([
      ['first', 1],
      ['second', 0],
    ]);
  });

  it('removing a step removes the checkpoints asked before it and renumbers the later ones', () => {
    const changed = scriptChange(steps, [asked(0, 'a'), asked(1, 'b'), asked(2, 'c')], 1, null);
    expect(changed.traffic).toEqual([steps[0], steps[2]]);
    expect(changed.checkpoints.map((c) => [c.id, c.before])).toEqual([
      ['a', 0],
      ['c', 1],
    ]);
  });

  it('a move past either end changes nothing', () => {
    const changed = scriptChange(steps, [asked(2, 'c')], 2, 1);
    expect(changed.traffic).toEqual(steps);
    expect(changed.checkpoints[0]?.before).toBe(2);
  });
});

describe('forms to the file form', () => {
  it('types counts, booleans and EtherTypes, and leaves empty optional fields out', () => {
    expect(stepPlain('ping', { from: 'a', to: '10.0.0.1', count: '3' })).toEqual({
      ping: { from: 'a', to: '10.0.0.1', count: 3 },
    });
    expect(stepPlain('ping', { from: 'a', to: 'b', count: '' })).toEqual({
      ping: { from: 'a', to: 'b' },
    });
    expect(stepPlain('set', { adapter: 'n0', promiscuous: 'true', actor: '' })).toEqual({
      set: { adapter: 'n0', promiscuous: true },
    });
    expect(checkPlain('captured', { at: 'br', proto: '0x88cc' })).toEqual({
      captured: { at: 'br', proto: 0x88cc },
    });
    // Text the form cannot read goes as typed, for the core's parser to say what is wrong.
    expect(stepPlain('wait', { seconds: 'soon' })).toEqual({ wait: { seconds: 'soon' } });
  });

  it('a config check round-trips through its rows, typed by the setting', () => {
    const plain = configPlain('vm', 'esxi', [
      { key: 'power', value: 'stopped' },
      { key: 'nestedVirtualization', value: 'true' },
    ]);
    expect(plain).toEqual({ config: { vm: 'esxi', power: 'stopped', nestedVirtualization: true } });
    expect(readConfig(plain.config as Record<string, unknown>)).toEqual({
      target: 'vm',
      id: 'esxi',
      rows: [
        { key: 'power', value: 'stopped' },
        { key: 'nestedVirtualization', value: 'true' },
      ],
    });
  });

  it("keeps what the form does not show: a request's diagram survives an edit", () => {
    const request = {
      request: { actor: 'ana', useCase: 'x', diagram: 'data:image/webp;base64,AA' },
    };
    const hidden = hiddenOf(request);
    expect(hidden).toEqual({ kind: 'request', rest: { diagram: 'data:image/webp;base64,AA' } });
    expect(stepPlain('request', { actor: 'ana', useCase: 'y' }, hidden.rest)).toEqual({
      request: { diagram: 'data:image/webp;base64,AA', actor: 'ana', useCase: 'y' },
    });
  });
});
