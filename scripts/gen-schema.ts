// Writes the lab file's JSON Schema from the same zod schema the parser uses, so editors
// complete and check `*.lab.yaml` files. A unit test fails when the committed copy is stale.
import { writeFileSync } from 'node:fs';
import { labJsonSchema } from '../core/lab/schema';

export const SCHEMA_FILE = new URL('../schema/nestlab-lab.schema.json', import.meta.url);

export function schemaText(): string {
  const schema = {
    title: 'Nestlab lab file (*.lab.yaml), format version 1',
    ...(labJsonSchema() as object),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
}
