import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { schemaText, SCHEMA_FILE } from '../../../../scripts/gen-schema';

describe('JSON Schema', () => {
  it('the shipped schema/nestlab-lab.schema.json is generated from the parser schema (run `npm run schema` if this fails)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('describes traffic steps and objective checks as one-key objects and rejects unknown keys', () => {
    const schema = JSON.parse(schemaText()) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'nestlab',
        'account',
        'users',
        'networks',
        'vms',
        'traffic',
        'objectives',
        'sim',
        'ui',
      ]),
    );
    expect(JSON.stringify(schema.properties.traffic)).toContain('"garp"');
  });
});
