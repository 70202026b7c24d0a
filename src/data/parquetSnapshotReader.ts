/**
 * Reads a Parquet snapshot (manifest + tables, domain/snapshotManifest.ts) lazily: opening reads the users table's
 * columns (the cohort rows), the items and metrics tables; a user's events, predictions and reasoning are read
 * when asked for, from the row range the users table's counts point to. Runs in the data worker and in Node.
 * Every fault names the table file, row and column, and becomes a SnapshotLoadError.
 */
import { parquetMetadataAsync, parquetRead, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { CohortRow } from '../domain/cohort';
import { SEGMENTS, type Segment } from '../domain/segment';
import {
  TABLE_COLUMNS,
  type ColumnType,
  type Manifest,
  type TableName,
} from '../domain/snapshotManifest';
import type { SnapshotMeta, UserRecord } from '../domain/snapshotMeta';
import { reasoningSchema, userSchema, type Metric, type SnapshotItem, type PredictionSet } from '../domain/snapshot';
import { formatPath, previewValue } from '../domain/snapshotValidation';
import { SnapshotLoadError } from './snapshotIo';

/** Opens a table file named in the manifest; throws SnapshotLoadError when it is not there. */
export type OpenTable = (file: string) => Promise<AsyncBuffer>;

interface Table {
  readonly name: TableName;
  readonly file: string;
  readonly buffer: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly rows: number;
}

export interface OpenedParquetSnapshot {
  readonly meta: SnapshotMeta;
  readonly rows: readonly CohortRow[];
  readonly items: readonly SnapshotItem[];
  readUser(id: string, signal?: AbortSignal): Promise<UserRecord>;
}

export interface OpenParquetOptions {
  /** The manifest's file name or URL, for messages. */
  readonly source: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (step: string, fraction: number) => void;
}

export async function openParquetSnapshot(manifest: Manifest, open: OpenTable, options: OpenParquetOptions): Promise<OpenedParquetSnapshot> {
  const { source, signal } = options;
  const step = (name: string, fraction: number) => {
    if (signal?.aborted) throw new SnapshotLoadError(source, 'loading was cancelled');
    options.onProgress?.(name, fraction);
  };
  const tableNames = (Object.keys(manifest.tables) as TableName[]).filter((name) => manifest.tables[name] !== undefined);
  const tables = new Map<TableName, Table>();
  for (const [i, name] of tableNames.entries()) {
    step(`opening ${manifest.tables[name]!}`, i / (tableNames.length + 3));
    tables.set(name, await openTable(name, manifest.tables[name]!, open));
  }
  const users = tables.get('users')!;
  const events = tables.get('events')!;
  if (users.rows !== manifest.counts.users) {
    throw fault(users, null, null, `has ${users.rows} rows but the manifest's counts.users is ${manifest.counts.users}`);
  }
  if (events.rows !== manifest.counts.events) {
    throw fault(events, null, null, `has ${events.rows} rows but the manifest's counts.events is ${manifest.counts.events}`);
  }

  step(`reading ${users.file}`, tableNames.length / (tableNames.length + 3));
  const columns = await readWholeColumns(users, ['user', 'segment', 'events', 'history_events', 'purchases', 'purchase_rate', 'target_day', 'target_items', 'predictions', 'reasoning']);
  const cohort = usersColumns(users, columns);
  const index = new Map<string, number>();
  for (const [u, row] of cohort.rows.entries()) {
    if (index.has(row.id)) throw fault(users, u, 'user', `duplicate user id ${previewValue(row.id)}`);
    index.set(row.id, u);
  }
  if (cohort.eventStart[cohort.rows.length] !== events.rows) {
    throw fault(users, null, 'events', `the counts add up to ${cohort.eventStart[cohort.rows.length]} events but ${events.file} has ${events.rows} rows`);
  }
  const predictionsTable = tables.get('predictions');
  const predictionTotal = cohort.predictionStart[cohort.rows.length]!;
  if (predictionTotal !== (predictionsTable?.rows ?? 0)) {
    throw fault(users, null, 'predictions', `the counts add up to ${predictionTotal} prediction rows but the predictions table has ${predictionsTable?.rows ?? 0}`);
  }
  const reasoningTable = tables.get('reasoning');
  const reasoningTotal = cohort.reasoningRow[cohort.rows.length]!;
  if (reasoningTotal !== (reasoningTable?.rows ?? 0)) {
    throw fault(users, null, 'reasoning', `${reasoningTotal} users are marked as reasoned but the reasoning table has ${reasoningTable?.rows ?? 0} rows`);
  }

  step(`reading ${manifest.tables.items}`, (tableNames.length + 1) / (tableNames.length + 3));
  const itemsTable = tables.get('items')!;
  const items = readItems(itemsTable, await readObjects(itemsTable, 0, itemsTable.rows));
  const itemIds = new Set(items.map((item) => item.id));
  if (items.length !== manifest.counts.items) {
    throw fault(itemsTable, null, null, `has ${items.length} rows but the manifest's counts.items is ${manifest.counts.items}`);
  }

  step('reading metrics', (tableNames.length + 2) / (tableNames.length + 3));
  const metricsTable = tables.get('metrics');
  const metrics = metricsTable ? readMetrics(metricsTable, await readObjects(metricsTable, 0, metricsTable.rows)) : undefined;
  const { tables: _tables, schema: _schema, ...rest } = manifest;
  const meta: SnapshotMeta = { ...rest, schema: 'rolegen.snapshot', ...(metrics ? { metrics } : {}) };

  return {
    meta,
    rows: cohort.rows,
    items,
    readUser: async (id, userSignal) => {
      const u = index.get(id);
      if (u === undefined) throw new SnapshotLoadError(source, `user ${previewValue(id)} is not in ${users.file}`);
      const record = await readUserRecord(u, { users, events, predictions: predictionsTable, reasoning: reasoningTable }, cohort);
      if (userSignal?.aborted) throw new SnapshotLoadError(source, 'reading the user was cancelled');
      for (const [e, event] of record.user.events.entries()) {
        if (!itemIds.has(event.item)) throw fault(events, cohort.eventStart[u]! + e, 'item', `unknown item id ${previewValue(event.item)} (not in ${itemsTable.file})`);
      }
      return record;
    },
  };
}

async function openTable(name: TableName, file: string, open: OpenTable): Promise<Table> {
  const buffer = await open(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new SnapshotLoadError(file, `not a readable Parquet file (${errorMessage(error)})`);
  }
  const table: Table = { name, file, buffer, metadata, rows: Number(metadata.num_rows) };
  const present = new Map(metadata.schema.slice(1).map((element) => [element.name, element]));
  checkColumnChunks(table, present);
  for (const spec of TABLE_COLUMNS[name]) {
    const element = present.get(spec.name);
    if (!element) {
      if (spec.optional) continue;
      throw fault(table, null, spec.name, `required column is missing (the ${name} table needs ${TABLE_COLUMNS[name].map((c) => c.name).join(', ')})`);
    }
    if (element.num_children) throw fault(table, null, spec.name, 'is a nested group; expected a flat column');
    if (!acceptedTypes(spec.type).includes(element.type ?? '')) {
      throw fault(table, null, spec.name, `has Parquet type ${element.type ?? 'none'}, expected ${acceptedTypes(spec.type).join(' or ')}`);
    }
  }
  return table;
}

/**
 * Every column chunk must belong to a column of the schema: hyparquet leaves the read of a chunk that none does
 * unobserved, so a damaged footer would end in an unhandled rejection instead of this error.
 */
function checkColumnChunks(table: Table, columns: ReadonlyMap<string, unknown>): void {
  table.metadata.row_groups.forEach((group, index) => {
    for (const chunk of group.columns) {
      const path = chunk.meta_data?.path_in_schema ?? [];
      if (path.length !== 1 || !columns.has(path[0]!)) {
        throw new SnapshotLoadError(table.file, `row group ${index}: a column chunk for ${previewValue(path.join('.'))} does not match the file's schema (damaged footer?)`);
      }
    }
  });
}

function acceptedTypes(type: ColumnType): readonly string[] {
  switch (type) {
    case 'STRING':
    case 'JSON':
      return ['BYTE_ARRAY'];
    case 'INT32':
    case 'INT64':
      return ['INT32', 'INT64'];
    case 'DOUBLE':
      return ['DOUBLE', 'FLOAT', 'INT32', 'INT64'];
    case 'BOOLEAN':
      return ['BOOLEAN'];
  }
}

async function readWholeColumns(table: Table, names: readonly string[]): Promise<Map<string, unknown[]>> {
  const present = new Set(table.metadata.schema.map((e) => e.name));
  const wanted = names.filter((n) => present.has(n));
  const out = new Map(wanted.map((name) => [name, new Array<unknown>(table.rows).fill(null)]));
  await guarded(table, () =>
    parquetRead({
      file: table.buffer,
      metadata: table.metadata,
      columns: wanted,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const column = out.get(columnName);
        if (!column) return;
        for (let i = 0; i < columnData.length; i++) column[rowStart + i] = columnData[i];
      },
    }),
  );
  return out;
}

async function readObjects(table: Table, rowStart: number, rowEnd: number, columns?: string[]): Promise<Record<string, unknown>[]> {
  if (rowEnd <= rowStart) return [];
  return guarded(table, () =>
    parquetReadObjects({ file: table.buffer, metadata: table.metadata, rowStart, rowEnd, compressors, ...(columns ? { columns } : {}) }),
  );
}

async function guarded<T>(table: Table, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SnapshotLoadError) throw error;
    throw new SnapshotLoadError(table.file, `could not decode (${errorMessage(error)})`);
  }
}

interface UsersColumns {
  readonly rows: CohortRow[];
  /** Prefix sums, length users + 1: user u's rows are [start[u], start[u + 1]). */
  readonly eventStart: Float64Array;
  readonly predictionStart: Float64Array;
  readonly reasoningRow: Float64Array;
}

function usersColumns(table: Table, columns: Map<string, unknown[]>): UsersColumns {
  const n = table.rows;
  const col = (name: string) => columns.get(name) ?? new Array<unknown>(n).fill(null);
  const [ids, segments, eventCounts, history, purchases, rates, targetDays, targetItems, predictions, reasoning] = [
    col('user'), col('segment'), col('events'), col('history_events'), col('purchases'), col('purchase_rate'),
    col('target_day'), col('target_items'), col('predictions'), col('reasoning'),
  ];
  const eventStart = new Float64Array(n + 1);
  const predictionStart = new Float64Array(n + 1);
  const reasoningRow = new Float64Array(n + 1);
  const rows: CohortRow[] = new Array<CohortRow>(n);
  for (let u = 0; u < n; u++) {
    const id = ids[u];
    if (typeof id !== 'string' || id === '') throw fault(table, u, 'user', `expected a non-empty id, got ${previewValue(id)}`);
    const segment = segments[u];
    if (!(SEGMENTS as readonly unknown[]).includes(segment)) throw fault(table, u, 'segment', `expected one of ${SEGMENTS.join(', ')}, got ${previewValue(segment)}`);
    const events = count(table, u, 'events', eventCounts[u]);
    const rate = Number(rates[u]);
    if (!(rate >= 0 && rate <= 1)) throw fault(table, u, 'purchase_rate', `expected a rate in [0, 1], got ${previewValue(rates[u])}`);
    const day = targetDays[u];
    if (day !== null && day !== undefined && (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day))) {
      throw fault(table, u, 'target_day', `expected a day as YYYY-MM-DD, got ${previewValue(day)}`);
    }
    const targets = jsonValue(table, u, 'target_items', targetItems[u]);
    rows[u] = {
      id,
      segment: segment as Segment,
      events,
      historyEvents: count(table, u, 'history_events', history[u]),
      purchases: count(table, u, 'purchases', purchases[u]),
      purchaseRate: rate,
      targetDay: typeof day === 'string' ? day : null,
      targetItems: Array.isArray(targets) ? targets.length : 0,
    };
    eventStart[u + 1] = eventStart[u]! + events;
    predictionStart[u + 1] = predictionStart[u]! + (predictions[u] === null ? 0 : count(table, u, 'predictions', predictions[u]));
    reasoningRow[u + 1] = reasoningRow[u]! + (reasoning[u] === true ? 1 : 0);
  }
  return { rows, eventStart, predictionStart, reasoningRow };
}

interface UserTables {
  readonly users: Table;
  readonly events: Table;
  readonly predictions: Table | undefined;
  readonly reasoning: Table | undefined;
}

async function readUserRecord(u: number, tables: UserTables, cohort: UsersColumns): Promise<UserRecord> {
  const [userRow] = await readObjects(tables.users, u, u + 1);
  const id = cohort.rows[u]!.id;
  const eventRows = await readObjects(tables.events, cohort.eventStart[u]!, cohort.eventStart[u + 1]!);
  const owned = (table: Table, start: number) => (row: Record<string, unknown>, i: number) => {
    if (row.user !== id) {
      throw fault(table, start + i, 'user', `belongs to user ${previewValue(row.user)}, expected ${previewValue(id)}: rows must follow the users table's order and counts`);
    }
  };
  eventRows.forEach(owned(tables.events, cohort.eventStart[u]!));
  const day = (dayColumn: string, itemsColumn: string) => {
    const value = userRow?.[dayColumn];
    if (value === null || value === undefined) return undefined;
    return { day: value, items: jsonValue(tables.users, u, itemsColumn, userRow?.[itemsColumn]) };
  };
  const target = day('target_day', 'target_items');
  const validation = day('validation_day', 'validation_items');
  const candidate = {
    id,
    segment: cohort.rows[u]!.segment,
    events: eventRows.map((row) => ({ item: row.item, action: row.action, time: typeof row.time === 'bigint' ? Number(row.time) : row.time })),
    ...(target ? { target } : {}),
    ...(validation ? { validation } : {}),
  };
  const parsedUser = userSchema.safeParse(candidate);
  if (!parsedUser.success) {
    const issue = parsedUser.error.issues[0]!;
    const [first, index] = issue.path;
    if (first === 'events' && typeof index === 'number') {
      throw fault(tables.events, cohort.eventStart[u]! + index, String(issue.path[2] ?? ''), `${issue.message} (user ${id}, event ${index})`);
    }
    throw fault(tables.users, u, formatPath(issue.path), issue.message);
  }

  const predictions: { model: string; list: PredictionSet['lists'][number] }[] = [];
  if (tables.predictions) {
    const start = cohort.predictionStart[u]!;
    const rows = await readObjects(tables.predictions, start, cohort.predictionStart[u + 1]!);
    rows.forEach(owned(tables.predictions, start));
    for (const [i, row] of rows.entries()) {
      const model = row.model;
      const score = Number(row.score);
      if (typeof model !== 'string' || model === '') throw fault(tables.predictions, start + i, 'model', `expected a model name, got ${previewValue(model)}`);
      if (typeof row.item !== 'string' || row.item === '') throw fault(tables.predictions, start + i, 'item', `expected an item id, got ${previewValue(row.item)}`);
      if (!Number.isFinite(score)) throw fault(tables.predictions, start + i, 'score', `expected a finite number, got ${previewValue(row.score)}`);
      let entry = predictions.at(-1);
      if (!entry || entry.model !== model) {
        entry = { model, list: { user: id, items: [], scores: [] } };
        predictions.push(entry);
      }
      entry.list.items.push(row.item);
      entry.list.scores.push(score);
    }
  }

  let reasoning: UserRecord['reasoning'];
  if (tables.reasoning && cohort.reasoningRow[u + 1]! > cohort.reasoningRow[u]!) {
    const r = cohort.reasoningRow[u]!;
    const [row] = await readObjects(tables.reasoning, r, r + 1);
    owned(tables.reasoning, r)(row ?? {}, 0);
    const parsed = reasoningSchema.safeParse(jsonValue(tables.reasoning, r, 'record', row?.record));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw fault(tables.reasoning, r, `record.${formatPath(issue.path)}`, issue.message);
    }
    if (parsed.data.user !== id) throw fault(tables.reasoning, r, 'record.user', `is ${previewValue(parsed.data.user)}, expected ${previewValue(id)}`);
    reasoning = parsed.data;
  }
  return { user: parsedUser.data, predictions, ...(reasoning ? { reasoning } : {}) };
}

function readItems(table: Table, rows: Record<string, unknown>[]): SnapshotItem[] {
  const seen = new Set<string>();
  return rows.map((row, r) => {
    const id = row.id;
    if (typeof id !== 'string' || id === '') throw fault(table, r, 'id', `expected a non-empty id, got ${previewValue(id)}`);
    if (seen.has(id)) throw fault(table, r, 'id', `duplicate item id ${previewValue(id)}`);
    seen.add(id);
    const item: { -readonly [K in keyof SnapshotItem]: SnapshotItem[K] } = { id };
    if (typeof row.title === 'string') item.title = row.title;
    if (typeof row.brand === 'string') item.brand = row.brand;
    if (row.price !== null && row.price !== undefined) item.price = finiteNumber(table, r, 'price', row.price);
    if (row.intent !== null && row.intent !== undefined) item.intent = count(table, r, 'intent', row.intent);
    const categories = jsonValue(table, r, 'categories', row.categories);
    if (categories !== undefined && categories !== null) {
      if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) throw fault(table, r, 'categories', 'expected a JSON array of strings');
      item.categories = categories;
    }
    const sid = jsonValue(table, r, 'sid', row.sid);
    if (sid !== undefined && sid !== null) {
      if (!Array.isArray(sid) || !sid.every((c) => Number.isInteger(c) && c >= 0)) throw fault(table, r, 'sid', 'expected a JSON array of non-negative integers');
      item.sid = sid;
    }
    return item;
  });
}

function readMetrics(table: Table, rows: Record<string, unknown>[]): Metric[] {
  return rows.map((row, r) => {
    for (const name of ['model', 'cohort', 'name'] as const) {
      if (typeof row[name] !== 'string') throw fault(table, r, name, `expected a string, got ${previewValue(row[name])}`);
    }
    const low = row.ci_low ?? null;
    const high = row.ci_high ?? null;
    return {
      model: row.model as string,
      cohort: row.cohort as string,
      name: row.name as string,
      value: finiteNumber(table, r, 'value', row.value),
      ...(row.k !== null && row.k !== undefined ? { k: count(table, r, 'k', row.k) } : {}),
      ...(low !== null && high !== null ? { ci: [finiteNumber(table, r, 'ci_low', low), finiteNumber(table, r, 'ci_high', high)] as [number, number] } : {}),
      ...(row.n !== null && row.n !== undefined ? { n: count(table, r, 'n', row.n) } : {}),
    };
  });
}

function count(table: Table, row: number, column: string, value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw fault(table, row, column, `expected a count (integer >= 0), got ${previewValue(n)}`);
  return n;
}

function finiteNumber(table: Table, row: number, column: string, value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw fault(table, row, column, `expected a finite number, got ${previewValue(n)}`);
  return n;
}

/** JSON columns arrive parsed when typed as JSON, as text when a producer wrote plain UTF-8. */
function jsonValue(table: Table, row: number, column: string, value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw fault(table, row, column, `is not valid JSON: ${previewValue(value)}`);
  }
}

function fault(table: Table, row: number | null, column: string | null, message: string): SnapshotLoadError {
  const path = [row === null ? null : `row ${row}`, column === null ? null : `column ${column}`].filter(Boolean).join(', ');
  return new SnapshotLoadError(table.file, path ? `${path}: ${message}` : message, path || undefined);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
