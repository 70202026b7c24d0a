/// <reference lib="webworker" />
/**
 * Fetches or reads a snapshot, decompresses, parses and validates it off the main thread.
 * Only a validated snapshot is posted back; everything else becomes a 'failed' message naming the source.
 */
import { readSnapshot, SnapshotLoadError } from '../data/snapshotIo';
import type { SnapshotLoaderRequest, SnapshotLoaderResponse } from './snapshotLoaderProtocol';

declare const self: DedicatedWorkerGlobalScope;

const inFlight = new Map<number, AbortController>();

function post(message: SnapshotLoaderResponse): void {
  self.postMessage(message);
}

async function openSource(request: Exclude<SnapshotLoaderRequest, { kind: 'cancel' }>, signal: AbortSignal) {
  if (request.kind === 'load-file') {
    return { source: request.file.name, stream: request.file.stream(), totalBytes: request.file.size };
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
  return { source, stream: response.body, totalBytes: length > 0 && !encoded ? length : undefined };
}

async function load(request: Exclude<SnapshotLoaderRequest, { kind: 'cancel' }>): Promise<void> {
  const controller = new AbortController();
  inFlight.set(request.requestId, controller);
  const fallbackSource = request.kind === 'load-file' ? request.file.name : request.url;
  try {
    const { source, stream, totalBytes } = await openSource(request, controller.signal);
    const snapshot = await readSnapshot(stream, {
      source,
      totalBytes,
      signal: controller.signal,
      onProgress: ({ phase, fraction }) => post({ kind: 'progress', requestId: request.requestId, phase, fraction }),
    });
    post({ kind: 'loaded', requestId: request.requestId, source, snapshot });
  } catch (error) {
    const failure =
      error instanceof SnapshotLoadError
        ? { source: error.source, message: error.message, path: error.path, value: error.value }
        : { source: fallbackSource, message: error instanceof Error ? error.message : String(error) };
    post({ kind: 'failed', requestId: request.requestId, failure });
  } finally {
    inFlight.delete(request.requestId);
  }
}

self.addEventListener('message', (event: MessageEvent<SnapshotLoaderRequest>) => {
  const request = event.data;
  if (request.kind === 'cancel') inFlight.get(request.requestId)?.abort();
  else void load(request);
});
