/** The row loop shared by every format: split, count columns, validate, account for every row. */
import { lines } from './lines';
import { checkFileUsable, type MalformedCollector, type MalformedReason } from './malformed';
import type { RawSource } from './rawSource';

export type RowResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'malformed'; readonly reason: MalformedReason; readonly detail: string }
  /** A known row type that is deliberately not mapped (e.g. REES46 remove_from_cart): counted, not malformed. */
  | { readonly kind: 'skipped'; readonly type: string };

/** Returned by parse() for a known row type that is deliberately not mapped. */
export class Skip {
  constructor(readonly type: string) {}
}

export class RowError {
  constructor(
    readonly reason: MalformedReason,
    readonly detail: string,
  ) {}
}

export interface TableSpec<T> {
  readonly delimiter: ',' | '\t';
  /** Quoted CSV fields ("a,b", "" escapes); tab-separated formats have none. */
  readonly quoted: boolean;
  readonly columns: number;
  /** Expected header names; a first line equal to them is skipped, otherwise it is data. */
  readonly header?: readonly string[];
  /** Throw a RowError for a malformed row (keeps per-field validation short). */
  parse(fields: readonly string[]): T | Skip;
}

export interface FileSummary {
  readonly file: string;
  /** Data rows: not the header, not blank lines; includes malformed and skipped rows. */
  readonly rows: number;
  readonly malformed: number;
  readonly skipped: number;
}

export interface Progress {
  readonly file: string;
  readonly rows: number;
  readonly done: boolean;
}

export interface TableOptions {
  readonly onProgress?: (progress: Progress) => void;
  /** Rows between progress calls. */
  readonly progressEvery?: number;
}

export async function readTable<T>(
  source: RawSource,
  spec: TableSpec<T>,
  collector: MalformedCollector,
  skipped: Record<string, number>,
  onRow: (value: T) => void,
  options: TableOptions = {},
): Promise<FileSummary> {
  const every = options.progressEvery ?? 200_000;
  let rows = 0;
  let malformed = 0;
  let skippedRows = 0;
  let first = true;
  for await (const { line, text } of lines(source.chunks())) {
    if (text.trim() === '') continue;
    const fields = spec.quoted ? splitQuoted(text, spec.delimiter) : text.split(spec.delimiter);
    if (first) {
      first = false;
      if (spec.header && fields !== null && sameHeader(fields, spec.header)) continue;
    }
    rows++;
    if (options.onProgress && rows % every === 0) options.onProgress({ file: source.name, rows, done: false });
    const result = parseRow(fields, spec);
    if (result.kind === 'ok') onRow(result.value);
    else if (result.kind === 'skipped') {
      skippedRows++;
      skipped[result.type] = (skipped[result.type] ?? 0) + 1;
    } else {
      malformed++;
      collector.add(source.name, line, result.reason, result.detail, text);
    }
  }
  options.onProgress?.({ file: source.name, rows, done: true });
  checkFileUsable(source.name, rows, malformed, collector.first(source.name));
  return { file: source.name, rows, malformed, skipped: skippedRows };
}

function parseRow<T>(fields: string[] | null, spec: TableSpec<T>): RowResult<T> {
  if (fields === null) return { kind: 'malformed', reason: 'bad-quoting', detail: 'unterminated or misplaced quote' };
  if (fields.length !== spec.columns) {
    return { kind: 'malformed', reason: 'column-count', detail: `${fields.length} columns, expected ${spec.columns}` };
  }
  try {
    const value = spec.parse(fields.map((f) => f.trim()));
    return value instanceof Skip ? { kind: 'skipped', type: value.type } : { kind: 'ok', value };
  } catch (error) {
    if (error instanceof RowError) return { kind: 'malformed', reason: error.reason, detail: error.detail };
    throw error;
  }
}

function sameHeader(fields: readonly string[], header: readonly string[]): boolean {
  return fields.length === header.length && fields.every((f, i) => f.trim().toLowerCase() === header[i]);
}

/**
 * One CSV record per line (RFC 4180 quoting, "" inside quotes). A field spanning lines is not supported:
 * none of the supported formats has free text that could hold a newline, so it surfaces as bad quoting.
 */
export function splitQuoted(text: string, delimiter: string): string[] | null {
  if (!text.includes('"')) return text.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) return null;
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== delimiter) return null;
      i++;
    } else {
      const next = text.indexOf(delimiter, i);
      if (next === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, next));
      i = next + 1;
    }
  }
}

// Field validators: throw RowError so a format's parse() reads as a list of fields.

export function id(value: string, column: string): string {
  if (value === '') throw new RowError('empty-id', `empty ${column}`);
  if (/[\s\u0000-\u001f]/.test(value)) throw new RowError('bad-id', `${column} "${value}" contains whitespace`);
  return value;
}

export function finiteNumber(value: string, column: string): number {
  const n = value === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new RowError('bad-number', `bad number "${value}" in ${column}`);
  return n;
}

export function nonNegative(value: string, column: string): number {
  const n = finiteNumber(value, column);
  if (n < 0) throw new RowError('bad-number', `negative number "${value}" in ${column}`);
  return n;
}

/** Unix seconds of 00:00 UTC, or a RowError when the date does not exist (e.g. 2019-02-30). */
export function utcDay(year: number, month: number, day: number, text: string): number {
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (year < 1970 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RowError('bad-date', `bad date "${text}"`);
  }
  return ms / 1000;
}
