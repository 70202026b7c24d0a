/**
 * Snapshot v1 for large cohorts (DESIGN.md): a JSON manifest with everything small, plus Parquet tables with the
 * per-user data, rows in the users table's order so one user's rows are one contiguous range (a few row groups).
 * The table layouts below are the format's one definition: the writer, the reader and the README follow them.
 */
import { z } from 'zod';
import { SNAPSHOT_VERSION, snapshotSchema } from './snapshot';

export const MANIFEST_SCHEMA_ID = 'rolegen.snapshot.manifest';

const tableFile = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._-]+\.parquet$/, 'expected a file name ending in .parquet, beside the manifest (no folders)');

export const manifestSchema = snapshotSchema
  .omit({ schema: true, users: true, items: true, predictions: true, reasoning: true, metrics: true })
  .extend({
    schema: z.literal(MANIFEST_SCHEMA_ID),
    version: z.literal(SNAPSHOT_VERSION),
    /** Models with rows in the predictions table, in display order. */
    predictionModels: z.array(z.object({ model: z.string().min(1), description: z.string().optional() })).default([]),
    counts: z.object({
      users: z.number().int().min(0),
      items: z.number().int().min(0),
      events: z.number().int().min(0),
    }),
    tables: z.object({
      users: tableFile,
      events: tableFile,
      items: tableFile,
      predictions: tableFile.optional(),
      reasoning: tableFile.optional(),
      metrics: tableFile.optional(),
    }),
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
export type TableName = keyof Manifest['tables'];

export type ColumnType = 'STRING' | 'JSON' | 'INT32' | 'INT64' | 'DOUBLE' | 'BOOLEAN';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly optional: boolean;
  readonly doc: string;
}

const column = (name: string, type: ColumnType, doc: string, optional = false): ColumnSpec => ({ name, type, optional, doc });

/**
 * Column layout per table. JSON columns hold UTF-8 JSON (Parquet's JSON logical type). Every table but items and
 * metrics is sorted in the users table's order; the users table's counts say how many rows each user has.
 */
export const TABLE_COLUMNS: Readonly<Record<TableName, readonly ColumnSpec[]>> = {
  users: [
    column('user', 'STRING', 'user id, unique'),
    column('segment', 'STRING', 'dormant | active | short (protocol.dormantRule decides dormant)'),
    column('events', 'INT32', "number of the user's rows in the events table"),
    column('history_events', 'INT32', 'events before the target day (what the dormant rule sees)'),
    column('purchases', 'INT32', 'purchases before the target day'),
    column('purchase_rate', 'DOUBLE', 'purchases / history_events (0 when there are none)'),
    column('target_day', 'STRING', 'held-out purchase day, YYYY-MM-DD', true),
    column('target_items', 'JSON', 'array of item ids bought on the target day', true),
    column('validation_day', 'STRING', 'validation purchase day, YYYY-MM-DD', true),
    column('validation_items', 'JSON', 'array of item ids bought on the validation day', true),
    column('predictions', 'INT32', "number of the user's rows in the predictions table (0 without one)"),
    column('reasoning', 'BOOLEAN', 'whether the reasoning table has a row for the user'),
  ],
  events: [
    column('user', 'STRING', 'user id; rows grouped by user in the users table order'),
    column('item', 'STRING', 'item id (in the items table)'),
    column('action', 'STRING', 'click | fav | cart | buy'),
    column('time', 'INT64', 'Unix seconds UTC, non-decreasing within a user; day-resolution data sits at 00:00 UTC'),
  ],
  items: [
    column('id', 'STRING', 'item id, unique'),
    column('title', 'STRING', 'display title', true),
    column('categories', 'JSON', 'array of category ids, coarse to fine', true),
    column('brand', 'STRING', 'brand id', true),
    column('price', 'DOUBLE', 'price', true),
    column('sid', 'JSON', 'array of semantic ID codes, coarse to fine', true),
    column('intent', 'INT32', 'intent cluster (SID level 1)', true),
  ],
  predictions: [
    column('user', 'STRING', 'user id; rows grouped by user in the users table order'),
    column('model', 'STRING', 'model name (one of manifest.predictionModels)'),
    column('rank', 'INT32', '1-based rank within the model\'s list for the user'),
    column('item', 'STRING', 'item id'),
    column('score', 'DOUBLE', "the model's score"),
  ],
  reasoning: [
    column('user', 'STRING', 'user id; one row per user whose users.reasoning is true, in the users table order'),
    column('record', 'JSON', 'the reasoner output: the JSON Schema\'s reasoning object (roles, intentEvolution, paths, candidates, provenance)'),
  ],
  metrics: [
    column('model', 'STRING', 'model name'),
    column('cohort', 'STRING', "cohort the figure is over, e.g. 'all', 'dormant/new-target'"),
    column('name', 'STRING', "metric name, e.g. 'recall', 'mrr'"),
    column('k', 'INT32', 'cut-off', true),
    column('value', 'DOUBLE', 'the figure'),
    column('ci_low', 'DOUBLE', 'lower end of the 95% bootstrap interval', true),
    column('ci_high', 'DOUBLE', 'upper end of the 95% bootstrap interval', true),
    column('n', 'INT32', 'number of users', true),
  ],
};
