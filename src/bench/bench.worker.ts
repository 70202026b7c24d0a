/// <reference lib="webworker" />
/**
 * Benchmark harness (npm run bench drives it in headless Chromium): the product's engine code on onnxruntime-web,
 * timing the encoder alone and the full top-K recommendation over the same users as the Node run.
 */
import { readSnapshot } from '../data/snapshotIo';
import { evalCases } from '../engines/eval/cases';
import { measureBackbone, type BenchFigures } from '../engines/backbone/benchmark';
import { loadBrowserBackbone } from '../workers/browserBackbone';

declare const self: DedicatedWorkerGlobalScope;

export interface BenchRequest {
  readonly modelUrl: string;
  readonly snapshotUrl: string;
  readonly provider: 'wasm' | 'webgpu';
  readonly threads: number;
  readonly users: number;
}

export type BenchResponse = { readonly ok: true; readonly figures: BenchFigures; readonly threads: number } | { readonly ok: false; readonly message: string };

async function run(request: BenchRequest): Promise<BenchResponse> {
  const model = await loadBrowserBackbone(request.modelUrl, { provider: request.provider, threads: request.threads });
  const response = await fetch(request.snapshotUrl);
  if (!response.ok || !response.body) throw new Error(`${request.snapshotUrl}: ${response.status}`);
  const snapshot = await readSnapshot(response.body, { source: request.snapshotUrl });
  const cases = evalCases(snapshot.users).slice(0, request.users);
  const figures = await measureBackbone(model, cases.map((c) => c.input));
  await model.runtime.dispose();
  return { ok: true, figures, threads: request.threads };
}

self.addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  run(event.data).then(
    (response) => self.postMessage(response),
    (error: unknown) => self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies BenchResponse),
  );
});
