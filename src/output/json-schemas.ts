// The JSON Schema files in schemas/, rendered from the zod schemas: `npm run schemas` writes them
// and test/output/schemas.test.ts checks the checked-in copies against this.

import { z } from 'zod';
import { OUTPUT_SCHEMAS, type OutputName } from './schemas';

export function jsonSchemaFileName(name: OutputName): string {
  return `${name}.schema.json`;
}

/** File name under schemas/ to its text. */
export function renderJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(OUTPUT_SCHEMAS) as Array<[OutputName, (typeof OUTPUT_SCHEMAS)[OutputName]]>) {
    const json = { $id: `https://rctl.invalid/schemas/${jsonSchemaFileName(name)}`, title: `rctl ${name} --json`, ...z.toJSONSchema(schema, { target: 'draft-2020-12' }) };
    files.set(jsonSchemaFileName(name), JSON.stringify(json, null, 2) + '\n');
  }
  return files;
}
