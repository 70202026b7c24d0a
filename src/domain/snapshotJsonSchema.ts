/** JSON Schemas of snapshot v1 and its Parquet manifest, for producers outside this project. Generated from zod: one source. */
import { z } from 'zod';
import { snapshotSchema } from './snapshot';
import { manifestSchema, TABLE_COLUMNS } from './snapshotManifest';

export const SCHEMA_FILES = {
  snapshot: 'schema/snapshot.v1.schema.json',
  manifest: 'schema/snapshot-manifest.v1.schema.json',
} as const;

export function snapshotJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://rolegen.invalid/${SCHEMA_FILES.snapshot}`,
    title: 'RoleGen Workbench snapshot v1',
    ...z.toJSONSchema(snapshotSchema, { io: 'input' }),
  };
}

/** The manifest, with the tables' column layout (which JSON Schema cannot check in Parquet files) under x-tables. */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://rolegen.invalid/${SCHEMA_FILES.manifest}`,
    title: 'RoleGen Workbench Parquet snapshot manifest v1',
    ...z.toJSONSchema(manifestSchema, { io: 'input' }),
    'x-tables': TABLE_COLUMNS,
  };
}
