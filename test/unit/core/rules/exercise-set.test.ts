/**
 * `exercise.set`: the trainer authors the script, objectives, checkpoints and student settings
 * in the app, in the lab file's own form, read by the file's parser (lab-format.md).
 */
import { describe, expect, it } from 'vitest';
import { exerciseToPlain, validateLab } from '../../../../core/lab';
import { applyEdit, parseCommand, studentMay, type EditCommand } from '../../../../core/rules';
import { accept, lab, refuse } from './fixtures';

function command(args: unknown, actingUser = 'ana'): EditCommand {
  const parsed = parseCommand('exercise.set', args, actingUser);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.command;
}

describe('exercise.set', () => {
  it('reads objectives, steps, checkpoints and student settings written as in a file', () => {
    const after = accept(
      lab(),
      'ana',
      command({
        traffic: [
          { ping: { from: 'app', to: '10.0.0.254' } },
          { set: { adapter: 'esxi-nic0', promiscuous: true } },
        ],
        objectives: [
          {
            id: 'reach',
            text: 'app reaches the gateway',
            hint: 'Look at lan',
            check: { reachable: { from: 'app', to: '10.0.0.254' } },
          },
          { id: 'cfg', check: { config: { vm: 'esxi', power: 'stopped' } } },
        ],
        checkpoints: [
          {
            id: 'q1',
            before: 0,
            question: 'Where does the ping end?',
            choices: [
              { text: 'At the gateway', fate: { delivered: 'lan:gateway' } },
              { text: 'Dropped at lan', fate: { dropped: 'lan' } },
            ],
          },
        ],
        student: { edit: 'settings', actAs: ['ben'] },
      }),
    );
    expect(after.traffic).toEqual([
      { kind: 'ping', from: 'app', to: '10.0.0.254', count: 1 },
      // A `set` without an actor is the lab's acting user's, as in a file.
      { kind: 'set', adapter: 'esxi-nic0', promiscuous: true, actor: 'ana' },
    ]);
    expect(after.objectives.map((o) => o.check.kind)).toEqual(['reachable', 'config']);
    expect(after.objectives[0]?.hint).toBe('Look at lan');
    expect(after.checkpoints[0]?.choices[1]?.fate).toEqual({ dropped: 'lan' });
    expect(after.student).toEqual({ edit: 'settings', actAs: ['ben'] });
    expect(validateLab(after).filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('sets only the keys it is given; the rest of the exercise stays as it was', () => {
    const before = accept(
      lab(),
      'ana',
      command({ objectives: [{ id: 'loop', check: { noLoop: true } }] }),
    );
    const after = accept(before, 'ana', command({ student: { edit: 'none' } }));
    expect(after.objectives).toEqual(before.objectives);
    expect(after.student.edit).toBe('none');
  });

  it('gives back the same exercise from its plain form (what the editors start from)', () => {
    const authored = accept(
      lab(),
      'ana',
      command({
        traffic: [
          { ping: { from: 'app', to: 'web1', count: 3 } },
          { approve: {} },
          { wait: { seconds: 2 } },
        ],
        objectives: [{ id: 'cap', check: { captured: { at: 'app', proto: 'arp' } } }],
        student: { edit: 'all' },
      }),
    );
    const plain = exerciseToPlain(authored);
    const again = accept(authored, 'ana', command(plain));
    expect(again.traffic).toEqual(authored.traffic);
    expect(again.objectives).toEqual(authored.objectives);
    expect(again.checkpoints).toEqual(authored.checkpoints);
    expect(again.student).toEqual(authored.student);
  });

  it('refuses what a file may not hold, with the path it would have in a file', () => {
    const bad = parseCommand('exercise.set', {
      objectives: [
        { id: 'ok', check: { noLoop: true } },
        { id: 'bad', check: { reachable: { from: 'app' } } },
      ],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.code).toBe('invalid-request');
    expect(bad.message).toMatch(/^objectives\[1\]\.check\.reachable\.to: /);
    const unknownStep = parseCommand('exercise.set', { traffic: [{ teleport: {} }] });
    expect(!unknownStep.ok && unknownStep.message).toMatch(/^traffic\[0\]\.teleport: Unknown/);
    const fate = parseCommand('exercise.set', {
      checkpoints: [
        {
          id: 'q',
          before: 0,
          question: '?',
          choices: [
            { text: 'a', fate: { delivered: 'x', dropped: 'y' } },
            { text: 'b', fate: { delivered: 'x' } },
          ],
        },
      ],
    });
    expect(!fate.ok && fate.message).toMatch(/^checkpoints\[0\]\.choices\[0\]\.fate: /);
  });

  it('accepts an objective naming an id the topology lacks, and lists it as a problem', () => {
    const after = accept(
      lab(),
      'ana',
      command({ objectives: [{ id: 'r', check: { reachable: { from: 'ghost', to: 'app' } } }] }),
    );
    expect(validateLab(after).some((v) => v.path.startsWith('objectives[0]'))).toBe(true);
  });

  it('is the trainer’s: a student is refused, whatever the lab lets students edit', () => {
    const open = lab();
    const set = command({ student: { edit: 'all' } });
    const asStudent = studentMay(open, 'student', 'ana', set);
    expect(asStudent.ok).toBe(false);
    expect(!asStudent.ok && asStudent.code).toBe('locked');
    expect(studentMay(open, 'trainer', 'ana', set).ok).toBe(true);
  });

  it('refuses a mistake of its own at its path, leaving the lab exactly as it was', () => {
    // Two objectives with one id; a setting's value of the wrong type; a checkpoint before no step.
    refuse(
      lab(),
      'ana',
      command({
        objectives: [
          { id: 'x', check: { noLoop: true } },
          { id: 'x', check: { valid: true } },
        ],
      }),
      'duplicate-id',
      'format',
    );
    const typed = applyEdit(
      lab(),
      'ana',
      command({ objectives: [{ id: 'p', check: { config: { vm: 'esxi', power: 'off' } } }] }),
    );
    expect(!typed.ok && typed.message).toMatch(/^objectives\[0\]\.check\.config\.power: /);
    const late = applyEdit(
      lab(),
      'ana',
      command({
        traffic: [{ ping: { from: 'app', to: '10.0.0.254' } }],
        checkpoints: [
          {
            id: 'q',
            before: 3,
            question: '?',
            choices: [
              { text: 'a', fate: { delivered: 'lan' } },
              { text: 'b', fate: { dropped: 'lan' } },
            ],
          },
        ],
      }),
    );
    expect(!late.ok && late.message).toMatch(/^checkpoints\[0\]\.before: /);
  });

  it('refuses an edit that sets nothing', () => {
    expect(parseCommand('exercise.set', {})).toMatchObject({ ok: false, code: 'invalid-request' });
  });
});
