/** bench.html: runs bench.worker with the query's settings and publishes the result for the driver to read. */
import type { BenchRequest, BenchResponse } from './bench.worker';

const params = new URLSearchParams(location.search);
const request: BenchRequest = {
  modelUrl: params.get('model') ?? '/models/cikm2019/',
  snapshotUrl: params.get('snapshot') ?? '/snapshots/cikm2019.json.gz',
  provider: params.get('provider') === 'webgpu' ? 'webgpu' : 'wasm',
  threads: Number(params.get('threads') ?? '1'),
  users: Number(params.get('users') ?? '100000'),
};
const output = document.getElementById('result')!;
output.textContent = `running ${JSON.stringify(request)}; crossOriginIsolated=${String(crossOriginIsolated)}`;
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
worker.addEventListener('message', (event: MessageEvent<BenchResponse>) => {
  (window as unknown as { benchResult: BenchResponse }).benchResult = event.data;
  output.textContent = JSON.stringify(event.data);
});
worker.addEventListener('error', (event) => {
  (window as unknown as { benchResult: BenchResponse }).benchResult = { ok: false, message: event.message || 'worker error' };
});
worker.postMessage(request);
