/// <reference lib="webworker" />
/**
 * Fetches or reads a snapshot, decompresses, parses and validates it off the main thread. A JSON snapshot is
 * posted back whole; a Parquet one stays open here, and its users are read on request. Only validated data is
 * posted; everything else becomes a failure naming the file (and the table, row and column) at fault.
 */
import { openParquetSnapshot, type OpenedParquetSnapshot, type OpenTable } from '../data/parquetSnapshotReader';
import { readSnapshotDocument, SnapshotLoadError, type SnapshotLoadPhase } from '../data/snapshotIo';
import { fileTables, urlTables } from '../data/tableSources';
import { DEFAULT_COHORT_QUERY, queryCohort } from '../domain/cohort';
import { cohortTransferables, packCohortRows } from '../domain/cohortPacking';
import type { LoadedContentMessage, SnapshotLoaderFailure, SnapshotLoaderRequest, SnapshotLoaderResponse } from './snapshotLoaderProtocol';

declare const self: DedicatedWorkerGlobalScope;

type LoadRequest = Extract<SnapshotLoaderRequest, { kind: 'load-url' | 'load-files' }>;

const inFlight = new Map<number, AbortController>();
/** The Parquet snapshot of the newest successful load; replaced only when another load succeeds. */
let open: { readonly snapshotId: number; readonly snapshot: OpenedParquetSnapshot } | null = null;

function post(message: SnapshotLoaderResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

interface Opened {
  readonly source: string;
  readonly stream: ReadableStream<Uint8Array>;
  readonly totalBytes: number | undefined;
  readonly tables: OpenTable;
}

async function openSource(request: LoadRequest, signal: AbortSignal): Promise<Opened> {
  if (request.kind === 'load-files') {
    const documents = request.files.filter((file) => !file.name.endsWith('.parquet'));
    if (documents.length !== 1) {
      const names = request.files.map((f) => f.name).join(', ') || 'none';
      throw new SnapshotLoadError(
        names,
        documents.length === 0
          ? 'no snapshot among the files: open a .json or .json.gz snapshot, or a manifest.json with its .parquet tables'
          : 'more than one snapshot or manifest among the files: open one at a time',
      );
    }
    const file = documents[0]!;
    return { source: file.name, stream: file.stream(), totalBytes: file.size, tables: fileTables(request.files) };
  }
  const source = request.url;
  let response: Response;
  try {
    response = await fetch(request.url, { signal });
  } catch (error) {
    throw new SnapshotLoadError(source, `could not fetch (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok || !response.body) {
    throw new SnapshotLoadError(source, `server answered ${response.status} ${response.statusText}`.trim());
  }
  const length = Number(response.headers.get('Content-Length'));
  // A Content-Encoding'd body arrives decoded, so its Content-Length no longer measures what we read.
  const encoded = response.headers.get('Content-Encoding');
  return { source, stream: response.body, totalBytes: length > 0 && !encoded ? length : undefined, tables: urlTables(response.url || request.url, signal) };
}

async function load(request: LoadRequest): Promise<void> {
  const controller = new AbortController();
  inFlight.set(request.requestId, controller);
  const fallbackSource = request.kind === 'load-files' ? request.files.map((f) => f.name).join(', ') : request.url;
  const progress = (phase: SnapshotLoadPhase, fraction: number | null) =>
    post({ kind: 'progress', requestId: request.requestId, phase, fraction });
  try {
    const { source, stream, totalBytes, tables } = await openSource(request, controller.signal);
    const document = await readSnapshotDocument(stream, {
      source,
      totalBytes,
      signal: controller.signal,
      onProgress: ({ phase, fraction }) => progress(phase, fraction),
    });
    let content: LoadedContentMessage;
    let transfer: ArrayBuffer[] = [];
    if (document.kind === 'snapshot') {
      content = { format: 'json', snapshot: document.snapshot };
      open = null;
    } else {
      const snapshot = await openParquetSnapshot(document.manifest, tables, {
        source,
        signal: controller.signal,
        onProgress: (_step, fraction) => progress('opening tables', fraction),
      });
      if (controller.signal.aborted) throw new SnapshotLoadError(source, 'loading was cancelled');
      open = { snapshotId: request.requestId, snapshot };
      // In the table's default order, so the main thread's first sort meets sorted rows (linear, not n log n).
      const rows = packCohortRows(queryCohort(snapshot.rows, DEFAULT_COHORT_QUERY));
      transfer = cohortTransferables(rows);
      content = { format: 'parquet', meta: snapshot.meta, rows, rowsOrder: DEFAULT_COHORT_QUERY, items: snapshot.items };
    }
    post({ kind: 'loaded', requestId: request.requestId, source, content }, transfer);
  } catch (error) {
    post({ kind: 'failed', requestId: request.requestId, failure: failureOf(error, fallbackSource) });
  } finally {
    inFlight.delete(request.requestId);
  }
}

async function readUser(request: Extract<SnapshotLoaderRequest, { kind: 'read-user' }>): Promise<void> {
  try {
    if (!open || open.snapshotId !== request.snapshotId) throw new SnapshotLoadError('snapshot loader', 'that snapshot is no longer open');
    const record = await open.snapshot.readUser(request.user);
    post({ kind: 'user', requestId: request.requestId, record });
  } catch (error) {
    post({ kind: 'user-failed', requestId: request.requestId, user: request.user, failure: failureOf(error, `user ${request.user}`) });
  }
}

function failureOf(error: unknown, fallbackSource: string): SnapshotLoaderFailure {
  return error instanceof SnapshotLoadError
    ? { source: error.source, message: error.message, ...(error.path ? { path: error.path } : {}), ...(error.value ? { value: error.value } : {}) }
    : { source: fallbackSource, message: error instanceof Error ? error.message : String(error) };
}

self.addEventListener('message', (event: MessageEvent<SnapshotLoaderRequest>) => {
  const request = event.data;
  if (request.kind === 'cancel') inFlight.get(request.requestId)?.abort();
  else if (request.kind === 'read-user') void readUser(request);
  else void load(request);
});
