/**
 * Main-thread handle on the snapshot loader worker. Only the newest request's messages are delivered:
 * starting a load cancels the one before, and late messages of a superseded load are dropped.
 */
import type { Snapshot } from '../domain/snapshot';
import type { SnapshotLoadPhase } from '../data/snapshotIo';
import type { SnapshotLoaderFailure, SnapshotLoaderRequest, SnapshotLoaderResponse } from './snapshotLoaderProtocol';

export type SnapshotSource = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'file'; readonly file: File };

export interface SnapshotLoadHandlers {
  onProgress(phase: SnapshotLoadPhase, fraction: number | null): void;
  onLoaded(snapshot: Snapshot, source: string): void;
  onFailed(failure: SnapshotLoaderFailure): void;
}

export class SnapshotLoaderClient {
  private worker: Worker | null = null;
  private latest = 0;
  private handlers: SnapshotLoadHandlers | null = null;

  load(source: SnapshotSource, handlers: SnapshotLoadHandlers): void {
    const worker = this.ensureWorker();
    if (this.latest > 0) this.send(worker, { kind: 'cancel', requestId: this.latest });
    const requestId = ++this.latest;
    this.handlers = handlers;
    this.send(
      worker,
      source.kind === 'url' ? { kind: 'load-url', requestId, url: source.url } : { kind: 'load-file', requestId, file: source.file },
    );
  }

  private send(worker: Worker, request: SnapshotLoaderRequest): void {
    worker.postMessage(request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./snapshotLoader.worker.ts', import.meta.url), { type: 'module', name: 'snapshot-loader' });
    worker.addEventListener('message', (event: MessageEvent<SnapshotLoaderResponse>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      // A crashed worker cannot be trusted with the next load: replace it and report the load as failed.
      this.worker?.terminate();
      this.worker = null;
      this.handlers?.onFailed({ source: 'snapshot loader', message: `loader worker crashed: ${event.message || 'unknown error'}` });
      this.handlers = null;
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: SnapshotLoaderResponse): void {
    if (message.requestId !== this.latest || !this.handlers) return;
    if (message.kind === 'progress') this.handlers.onProgress(message.phase, message.fraction);
    else if (message.kind === 'loaded') this.handlers.onLoaded(message.snapshot, message.source);
    else this.handlers.onFailed(message.failure);
    if (message.kind !== 'progress') this.handlers = null;
  }
}
