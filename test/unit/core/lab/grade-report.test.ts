/**
 * Grading an attempt file (core/lab/grade-report.ts, what `nestlab grade` and the app's Grade a
 * class share): the attempt's own copy of the exercise is never graded, the trainer's is, so a
 * device the student removed makes objectives fail, not the attempt unreadable.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLabText } from '../../../../core/lab/check-text';
import { answerKey } from '../../../../core/lab/grade';
import { csvCell, gradeFile, trainerLabOf } from '../../../../core/lab/grade-report';
import { serializeLab } from '../../../../core/lab/serialize';

const E1 = readFileSync(
  new URL('../../../../labs/e1-nested-vm-out.lab.yaml', import.meta.url),
  'utf8',
);

describe('an attempt whose copy of the script names a device the student removed', () => {
  it('is graded on its topology: valid, its objectives failed, not an unreadable file', () => {
    const read = trainerLabOf(checkLabText(E1));
    if (!('lab' in read)) throw new Error('E1 does not parse');
    const trainer = read.lab;
    const attempt = {
      ...trainer,
      vms: trainer.vms.map((vm) => ({ ...vm, nested: [] })),
      attempt: { answers: {}, hints: [] },
    };
    const checked = checkLabText(serializeLab(attempt));
    expect(checked.valid).toBe(false);
    const row = gradeFile(trainer, 'web1-gone.lab.yaml', checked, answerKey(trainer));
    expect(row.grade.valid).toBe(true);
    expect(row.grade.score).toEqual({ passed: 0, total: trainer.objectives.length });
  });
});

describe('csvCell', () => {
  it('makes text of a cell a spreadsheet would read as a formula, and quotes separators', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${lead}1+1`).replace(/^"|"$/g, '')).toBe(`'${lead}1+1`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('plain')).toBe('plain');
  });
});
