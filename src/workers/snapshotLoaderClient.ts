/**
 * Main-thread handle on the snapshot loader worker. Only the newest load's messages are delivered: starting a
 * load cancels the one before, and late messages of a superseded load are dropped. User reads answer promises.
 */
import type { UserRecord } from '../domain/snapshotMeta';
import type { SnapshotLoadPhase } from '../data/snapshotIo';
import { unpackCohortRows } from '../domain/cohortPacking';
import type { LoadedContent, LoadedContentMessage, SnapshotLoaderFailure, SnapshotLoaderRequest, SnapshotLoaderResponse } from './snapshotLoaderProtocol';

export type SnapshotSource = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'files'; readonly files: readonly File[] };

export interface SnapshotLoadHandlers {
  onProgress(phase: SnapshotLoadPhase, fraction: number | null): void;
  /** snapshotId names this load in later user reads. */
  onLoaded(content: LoadedContent, source: string, snapshotId: number): void;
  onFailed(failure: SnapshotLoaderFailure): void;
}

export class UserReadError extends Error {
  override readonly name = 'UserReadError';
  constructor(readonly failure: SnapshotLoaderFailure) {
    super(failure.message);
  }
}

interface PendingRead {
  resolve(record: UserRecord): void;
  reject(error: UserReadError): void;
}

export class SnapshotLoaderClient {
  private worker: Worker | null = null;
  private latest = 0;
  private nextId = 0;
  private handlers: SnapshotLoadHandlers | null = null;
  private readonly reads = new Map<number, PendingRead>();

  load(source: SnapshotSource, handlers: SnapshotLoadHandlers): void {
    const worker = this.ensureWorker();
    if (this.latest > 0) this.send(worker, { kind: 'cancel', requestId: this.latest });
    const requestId = ++this.nextId;
    this.latest = requestId;
    this.handlers = handlers;
    this.send(worker, source.kind === 'url' ? { kind: 'load-url', requestId, url: source.url } : { kind: 'load-files', requestId, files: source.files });
  }

  readUser(snapshotId: number, user: string): Promise<UserRecord> {
    const worker = this.ensureWorker();
    const requestId = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.reads.set(requestId, { resolve, reject });
      this.send(worker, { kind: 'read-user', requestId, snapshotId, user });
    });
  }

  private send(worker: Worker, request: SnapshotLoaderRequest): void {
    worker.postMessage(request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./snapshotLoader.worker.ts', import.meta.url), { type: 'module', name: 'snapshot-loader' });
    worker.addEventListener('message', (event: MessageEvent<SnapshotLoaderResponse>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      // A crashed worker cannot be trusted with the next request: replace it and fail what was waiting on it.
      // An open Parquet snapshot died with it; user reads of it now fail with that message.
      this.worker?.terminate();
      this.worker = null;
      const failure = { source: 'snapshot loader', message: `loader worker crashed: ${event.message || 'unknown error'}` };
      this.handlers?.onFailed(failure);
      this.handlers = null;
      for (const read of this.reads.values()) read.reject(new UserReadError(failure));
      this.reads.clear();
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: SnapshotLoaderResponse): void {
    if (message.kind === 'user' || message.kind === 'user-failed') {
      const read = this.reads.get(message.requestId);
      this.reads.delete(message.requestId);
      if (message.kind === 'user') read?.resolve(message.record);
      else read?.reject(new UserReadError(message.failure));
      return;
    }
    if (message.requestId !== this.latest || !this.handlers) return;
    if (message.kind === 'progress') this.handlers.onProgress(message.phase, message.fraction);
    else if (message.kind === 'loaded') this.handlers.onLoaded(unpackContent(message.content), message.source, message.requestId);
    else this.handlers.onFailed(message.failure);
    if (message.kind !== 'progress') this.handlers = null;
  }
}

function unpackContent(content: LoadedContentMessage): LoadedContent {
  return content.format === 'json' ? content : { ...content, rows: unpackCohortRows(content.rows) };
}
