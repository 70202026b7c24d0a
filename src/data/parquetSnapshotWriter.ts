/**
 * Writes a snapshot as a manifest plus Parquet tables (domain/snapshotManifest.ts), streaming: users arrive one at
 * a time and each table is flushed a row group at a time, so a million users never sit in memory as objects.
 * Where the bytes go is injected (files in Node, memory in tests).
 */
import { ParquetWriter, type Writer } from 'hyparquet-writer';
import type { CompressionCodec, SchemaElement } from 'hyparquet';
import { cohortRow } from '../domain/cohort';
import {
  MANIFEST_SCHEMA_ID,
  TABLE_COLUMNS,
  type ColumnSpec,
  type Manifest,
  type TableName,
} from '../domain/snapshotManifest';
import type { SnapshotMeta, UserRecord } from '../domain/snapshotMeta';
import type { Snapshot, SnapshotItem } from '../domain/snapshot';

/** Rows per row group: one user's events then cost one group's decode, not the table's. */
const ROW_GROUP_ROWS: Readonly<Record<TableName, number>> = {
  users: 50_000,
  events: 20_000,
  items: 50_000,
  predictions: 20_000,
  reasoning: 500,
  metrics: 10_000,
};

export const TABLE_FILES: Readonly<Record<TableName, string>> = {
  users: 'users.parquet',
  events: 'events.parquet',
  items: 'items.parquet',
  predictions: 'predictions.parquet',
  reasoning: 'reasoning.parquet',
  metrics: 'metrics.parquet',
};

export interface ParquetSnapshotSink {
  /** A fresh byte writer for one table file. */
  table(file: string): Writer;
  /** Page compression; SNAPPY (built in) when absent. */
  readonly compression?: { readonly codec: CompressionCodec; readonly compress: (input: Uint8Array) => Uint8Array };
  manifest(text: string): void | Promise<void>;
}

type Cell = string | number | bigint | boolean | null | object;

function parquetSchema(columns: readonly ColumnSpec[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((c): SchemaElement => {
      const repetition_type = c.optional ? 'OPTIONAL' : 'REQUIRED';
      switch (c.type) {
        case 'STRING':
          return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
        case 'JSON':
          return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type };
        default:
          return { name: c.name, type: c.type, repetition_type };
      }
    }),
  ];
}

class TableWriter {
  private readonly writer: ParquetWriter;
  private readonly columns: Cell[][];
  private rows = 0;
  written = 0;

  constructor(
    sink: ParquetSnapshotSink,
    readonly name: TableName,
  ) {
    const spec = TABLE_COLUMNS[name];
    this.columns = spec.map(() => []);
    const { compression } = sink;
    this.writer = new ParquetWriter({
      writer: sink.table(TABLE_FILES[name]),
      schema: parquetSchema(spec),
      createdBy: 'rolegen-workbench',
      ...(compression ? { codec: compression.codec, compressors: { [compression.codec]: compression.compress } } : {}),
    });
  }

  async add(row: readonly Cell[]): Promise<void> {
    for (let c = 0; c < this.columns.length; c++) this.columns[c]!.push(row[c] ?? null);
    this.rows++;
    this.written++;
    if (this.rows >= ROW_GROUP_ROWS[this.name]) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.rows === 0) return;
    const spec = TABLE_COLUMNS[this.name];
    await this.writer.write({
      columnData: spec.map((c, i) => ({ name: c.name, data: this.columns[i]!, nullable: c.optional })),
      rowGroupSize: this.rows,
    });
    for (const column of this.columns) column.length = 0;
    this.rows = 0;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.writer.finish();
  }
}

export interface ParquetSnapshotHeader {
  readonly meta: Omit<SnapshotMeta, 'schema' | 'counts' | 'predictionModels'>;
  readonly predictionModels: Manifest['predictionModels'];
  readonly items: readonly SnapshotItem[];
}

/** Writes the tables and then the manifest (last, so a reader never sees a manifest without its tables). */
export async function writeParquetSnapshot(
  header: ParquetSnapshotHeader,
  users: AsyncIterable<UserRecord> | Iterable<UserRecord>,
  sink: ParquetSnapshotSink,
): Promise<Manifest> {
  const { metrics, ...meta } = header.meta;
  const tables = {
    users: new TableWriter(sink, 'users'),
    events: new TableWriter(sink, 'events'),
    items: new TableWriter(sink, 'items'),
    predictions: header.predictionModels.length > 0 ? new TableWriter(sink, 'predictions') : null,
    reasoning: new TableWriter(sink, 'reasoning'),
    metrics: metrics && metrics.length > 0 ? new TableWriter(sink, 'metrics') : null,
  };
  const order = new Map(header.predictionModels.map((m, i) => [m.model, i]));

  for (const item of header.items) {
    await tables.items.add([
      item.id,
      item.title ?? null,
      item.categories ?? null,
      item.brand ?? null,
      item.price ?? null,
      item.sid ?? null,
      item.intent ?? null,
    ]);
  }
  for (const metric of metrics ?? []) {
    await tables.metrics!.add([metric.model, metric.cohort, metric.name, metric.k ?? null, metric.value, metric.ci?.[0] ?? null, metric.ci?.[1] ?? null, metric.n ?? null]);
  }

  for await (const record of users) {
    const { user } = record;
    const row = cohortRow(user);
    const lists = [...record.predictions].sort((a, b) => (order.get(a.model) ?? Infinity) - (order.get(b.model) ?? Infinity));
    let predictionRows = 0;
    for (const { model, list } of lists) {
      if (!order.has(model)) throw new Error(`user ${user.id}: predictions of model "${model}" not in predictionModels`);
      for (let r = 0; r < list.items.length; r++) {
        await tables.predictions!.add([user.id, model, r + 1, list.items[r]!, list.scores[r]!]);
        predictionRows++;
      }
    }
    await tables.users.add([
      user.id,
      user.segment,
      user.events.length,
      row.historyEvents,
      row.purchases,
      row.purchaseRate,
      user.target?.day ?? null,
      user.target?.items ?? null,
      user.validation?.day ?? null,
      user.validation?.items ?? null,
      predictionRows,
      record.reasoning !== undefined,
    ]);
    for (const event of user.events) await tables.events.add([user.id, event.item, event.action, BigInt(Math.round(event.time))]);
    if (record.reasoning) await tables.reasoning.add([user.id, record.reasoning]);
  }

  for (const table of Object.values(tables)) await table?.finish();
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA_ID,
    ...meta,
    predictionModels: header.predictionModels,
    counts: { users: tables.users.written, items: tables.items.written, events: tables.events.written },
    tables: {
      users: TABLE_FILES.users,
      events: TABLE_FILES.events,
      items: TABLE_FILES.items,
      ...(tables.predictions ? { predictions: TABLE_FILES.predictions } : {}),
      reasoning: TABLE_FILES.reasoning,
      ...(tables.metrics ? { metrics: TABLE_FILES.metrics } : {}),
    },
  };
  await sink.manifest(`${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** A whole in-memory snapshot, as a stream of user records. */
export function snapshotHeader(snapshot: Snapshot): ParquetSnapshotHeader {
  const { users: _users, items, predictions, reasoning: _reasoning, schema: _schema, ...meta } = snapshot;
  return {
    meta,
    items,
    predictionModels: (predictions ?? []).map(({ model, description }) => (description === undefined ? { model } : { model, description })),
  };
}

export function* snapshotUserRecords(snapshot: Snapshot): Generator<UserRecord> {
  const reasoning = new Map((snapshot.reasoning ?? []).map((r) => [r.user, r]));
  const lists = (snapshot.predictions ?? []).map((set) => ({ model: set.model, byUser: new Map(set.lists.map((l) => [l.user, l])) }));
  for (const user of snapshot.users) {
    const predictions = lists.flatMap(({ model, byUser }) => {
      const list = byUser.get(user.id);
      return list ? [{ model, list }] : [];
    });
    const r = reasoning.get(user.id);
    yield r ? { user, reasoning: r, predictions } : { user, predictions };
  }
}
