/** Writes the JSON Schemas under schema/ (npm run schema). A unit test fails when a committed file drifts. */
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema, SCHEMA_FILES, snapshotJsonSchema } from '../domain/snapshotJsonSchema';

for (const [file, schema] of [
  [SCHEMA_FILES.snapshot, snapshotJsonSchema()],
  [SCHEMA_FILES.manifest, manifestJsonSchema()],
] as const) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
