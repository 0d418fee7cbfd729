// Writes the lab file's JSON Schema (draft 2020-12) from the same valibot schema the parser uses,
// so editors complete and check `*.lab.yaml` files. A unit test fails when the committed copy is
// stale.
import { writeFileSync } from 'node:fs';
import { toJsonSchema, type ConversionConfig } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { labFileSchema, vmSchema } from '../core/lab/schema';

export const SCHEMA_FILE = new URL('../schema/nestlab-lab.schema.json', import.meta.url);

const CONFIG: ConversionConfig = {
  target: 'draft-2020-12',
  // What a file may hold, before defaults are filled in.
  typeMode: 'input',
  // JSON has no infinity, so every JSON number is finite already.
  ignoreActions: ['finite'],
  // The one recursive schema (`nested` VMs), named for readers of the file.
  definitions: { vm: vmSchema },
  // A text's limit in characters (core/common/schema.ts `maxChars`) is JSON Schema's maxLength,
  // which counts code points as it does.
  overrideAction: ({ valibotAction, jsonSchema }) => {
    const max: unknown = (valibotAction as { maxChars?: unknown }).maxChars;
    return typeof max === 'number' ? { ...jsonSchema, maxLength: max } : undefined;
  },
};

/** Any part of the lab file's schema as JSON Schema (the docs test reads the step schemas' bounds). */
export function jsonSchemaOf(schema: v.GenericSchema): Record<string, unknown> {
  return toJsonSchema(schema, CONFIG) as Record<string, unknown>;
}

/** The JSON Schema editors use to complete and check lab files. */
export function labJsonSchema(): Record<string, unknown> {
  return jsonSchemaOf(labFileSchema);
}

export function schemaText(): string {
  const { $schema, ...rest } = labJsonSchema();
  const schema = { title: 'Nestlab lab file (*.lab.yaml), format version 1', $schema, ...rest };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
}
