/** JSON Schema of snapshot v1, for producers outside this project. Generated from the zod schema: one source. */
import { z } from 'zod';
import { snapshotSchema } from './snapshot';

export function snapshotJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://rolegen.invalid/schema/snapshot.v1.schema.json',
    title: 'RoleGen Workbench snapshot v1',
    ...z.toJSONSchema(snapshotSchema, { io: 'input' }),
  };
}
