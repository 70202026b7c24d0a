/**
 * Main-thread handle on the backbone worker: promise per request, progress callbacks, cancel.
 * A crashed worker fails every pending request and is replaced on the next one.
 */
import type { BackboneRequest, BackboneResponse } from './backboneProtocol';

type Request = Exclude<BackboneRequest, { kind: 'cancel' }>;
type Settled = Exclude<BackboneResponse, { kind: 'progress' }>;
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'requestId'> : never) : never;

interface Pending {
  readonly resolve: (response: Settled) => void;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

export interface RunningRequest {
  readonly requestId: number;
  readonly done: Promise<Settled>;
}

export class BackboneClient {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  send(body: RequestBody, onProgress?: Pending['onProgress']): RunningRequest {
    const worker = this.ensureWorker();
    const requestId = ++this.nextId;
    const done = new Promise<Settled>((resolve) => this.pending.set(requestId, { resolve, ...(onProgress ? { onProgress } : {}) }));
    worker.postMessage({ ...body, requestId } as Request);
    return { requestId, done };
  }

  cancel(requestId: number): void {
    this.worker?.postMessage({ kind: 'cancel', requestId } satisfies BackboneRequest);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./backbone.worker.ts', import.meta.url), { type: 'module', name: 'backbone' });
    worker.addEventListener('message', (event: MessageEvent<BackboneResponse>) => {
      const message = event.data;
      const pending = this.pending.get(message.requestId);
      if (!pending) return;
      if (message.kind === 'progress') pending.onProgress?.(message.stage, message.done, message.total);
      else {
        this.pending.delete(message.requestId);
        pending.resolve(message);
      }
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      worker.terminate();
      this.worker = null;
      const message = `the backbone worker crashed (${event.message || 'unknown error'}); it restarts on the next request, load the model again`;
      for (const [requestId, pending] of this.pending) pending.resolve({ kind: 'failed', requestId, message });
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }
}
