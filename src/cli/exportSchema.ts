/** Writes schema/snapshot.v1.schema.json (npm run schema). A unit test fails when the committed file drifts. */
import { writeFileSync } from 'node:fs';
import { snapshotJsonSchema } from '../domain/snapshotJsonSchema';

const out = process.argv[2] ?? 'schema/snapshot.v1.schema.json';
writeFileSync(out, `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);
