/**
 * Snapshot bytes <-> validated snapshot. Runs in the loader worker and in Node CLIs alike:
 * only web-standard streams (DecompressionStream, TextDecoder), no DOM, no fs.
 */
import type { Snapshot } from '../domain/snapshot';
import { MANIFEST_SCHEMA_ID, type Manifest } from '../domain/snapshotManifest';
import { validateManifest, validateSnapshot } from '../domain/snapshotValidation';

export type SnapshotLoadPhase = 'reading' | 'decompressing' | 'parsing' | 'validating' | 'opening tables';

export interface SnapshotLoadProgress {
  readonly phase: SnapshotLoadPhase;
  readonly fraction: number | null;
}

export class SnapshotLoadError extends Error {
  override readonly name = 'SnapshotLoadError';
  constructor(
    readonly source: string,
    message: string,
    readonly path?: string,
    readonly value?: string,
  ) {
    super(message);
  }
}

export interface ReadSnapshotOptions {
  /** File name or URL, used in every error message. */
  readonly source: string;
  /** Size in bytes when known up front (file size, Content-Length), for progress and the size limit. */
  readonly totalBytes?: number;
  readonly maxBytes?: number;
  /** Largest JSON text (after gunzip) to parse; MAX_JSON_TEXT_BYTES by default. */
  readonly maxTextBytes?: number;
  readonly onProgress?: (progress: SnapshotLoadProgress) => void;
  readonly signal?: AbortSignal;
}

export const DEFAULT_MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024;
/**
 * V8 (Chromium, Node) cannot hold a string over 2^29 - 24 UTF-16 units, so JSON.parse never sees a longer text; past
 * it the only way is the Parquet layout, read table by table. UTF-8 bytes are at least as many as UTF-16 units.
 */
export const MAX_JSON_TEXT_BYTES = 2 ** 29 - 24;

/** Where to go instead. Not "convert this file": the converter reads JSON with the same limits. */
const AS_PARQUET = 'a snapshot this large loads as Parquet, a manifest plus tables (README, "Snapshots"; npm run snapshot and npm run synth write it with --format parquet)';

export type SnapshotDocument = { readonly kind: 'snapshot'; readonly snapshot: Snapshot } | { readonly kind: 'manifest'; readonly manifest: Manifest };

/** A whole JSON snapshot, or the manifest of a Parquet one: what a URL or a picked .json file turns out to be. */
export async function readSnapshotDocument(stream: ReadableStream<Uint8Array>, options: ReadSnapshotOptions): Promise<SnapshotDocument> {
  const { source, totalBytes, onProgress } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  const maxTextBytes = options.maxTextBytes ?? MAX_JSON_TEXT_BYTES;
  const tooLongForJson = () =>
    new SnapshotLoadError(
      source,
      `the JSON text is over ${formatBytes(maxTextBytes)} (after gunzip), more than a browser can parse as one string; ${AS_PARQUET}`,
    );
  if (totalBytes !== undefined && totalBytes > maxBytes) {
    throw new SnapshotLoadError(source, `file is ${formatBytes(totalBytes)}, over the ${formatBytes(maxBytes)} limit; not read: ${AS_PARQUET}`);
  }
  const overMax: Limit = {
    bytes: maxBytes,
    error: () => new SnapshotLoadError(source, `data exceeds the ${formatBytes(maxBytes)} limit; loading stopped: ${AS_PARQUET}`),
  };
  const textLimit: Limit = { bytes: maxTextBytes, error: tooLongForJson };
  // Plain JSON (also a body the browser has already gunzipped, Content-Encoding) stops at what a string can hold.
  const rawLimit = (head: Uint8Array): Limit => (isGzip(head) || isParquet(head) || maxTextBytes >= maxBytes ? overMax : textLimit);
  const raw = await collect(stream, options, rawLimit, (read) =>
    onProgress?.({ phase: 'reading', fraction: totalBytes ? Math.min(1, read / totalBytes) : null }),
  );
  let bytes = raw;
  if (isGzip(raw)) {
    onProgress?.({ phase: 'decompressing', fraction: null });
    const inflated = new Blob([raw as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    const inflatedLimit: Limit = maxTextBytes <= maxBytes * 20 ? textLimit : { ...overMax, bytes: maxBytes * 20 };
    try {
      bytes = await collect(inflated, options, () => inflatedLimit, () => undefined);
    } catch (error) {
      if (error instanceof SnapshotLoadError) throw error;
      throw new SnapshotLoadError(source, `gzip data is corrupt or truncated (${errorMessage(error)})`);
    }
  }
  if (isParquet(bytes)) {
    throw new SnapshotLoadError(source, 'is a Parquet table, not a snapshot: open the manifest (.json) together with its .parquet tables');
  }
  onProgress?.({ phase: 'parsing', fraction: null });
  const data = parseJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes), source);
  onProgress?.({ phase: 'validating', fraction: null });
  const result = isManifest(data) ? validateManifest(data) : validateSnapshot(data);
  if (!result.ok) {
    const { path, value, message } = result.fault;
    throw new SnapshotLoadError(source, `${path}: ${message} (got ${value})`, path, value);
  }
  return 'manifest' in result ? { kind: 'manifest', manifest: result.manifest } : { kind: 'snapshot', snapshot: result.snapshot };
}

/** A whole JSON snapshot; a Parquet manifest is refused (the CLIs that call this need every user in memory). */
export async function readSnapshot(stream: ReadableStream<Uint8Array>, options: ReadSnapshotOptions): Promise<Snapshot> {
  const document = await readSnapshotDocument(stream, options);
  if (document.kind === 'manifest') {
    throw new SnapshotLoadError(options.source, 'is the manifest of a Parquet snapshot; this needs a whole JSON snapshot (.json or .json.gz)');
  }
  return document.snapshot;
}

function isManifest(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { schema?: unknown }).schema === MANIFEST_SCHEMA_ID;
}

/** "PAR1": a Parquet file's first four bytes. */
function isParquet(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31;
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

interface Limit {
  readonly bytes: number;
  readonly error: () => SnapshotLoadError;
}

/** `limitFor` sees the first 4 bytes (or all, if fewer), to pick the limit by what the data is. */
async function collect(
  stream: ReadableStream<Uint8Array>,
  options: ReadSnapshotOptions,
  limitFor: (head: Uint8Array) => Limit,
  onChunk: (bytesSoFar: number) => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let limit: Limit | null = null;
  const head = () => concat(chunks, Math.min(length, 4));
  const reader = stream.getReader();
  try {
    for (;;) {
      if (options.signal?.aborted) throw new SnapshotLoadError(options.source, 'loading was cancelled');
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
      if (limit === null && length >= 4) limit = limitFor(head());
      if (limit !== null && length > limit.bytes) throw limit.error();
      onChunk(length);
    }
  } finally {
    reader.releaseLock();
  }
  limit ??= limitFor(head());
  if (length > limit.bytes) throw limit.error();
  return concat(chunks, length);
}

/** The chunks' bytes joined, up to `length` (chunks may hold more). */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= length) break;
    out.set(chunk.subarray(0, length - offset), offset);
    offset += chunk.length;
  }
  return out;
}

function parseJson(text: string, source: string): unknown {
  if (text.trim() === '') throw new SnapshotLoadError(source, 'file is empty');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SnapshotLoadError(source, `not valid JSON: ${describeJsonError(errorMessage(error), text)}`);
  }
}

/** Engines report a character position; people need a line and column. */
function describeJsonError(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position?.[1] || /line \d+/.test(message)) return message;
  const at = Number(position[1]);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `${message} (line ${line} column ${column})`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
