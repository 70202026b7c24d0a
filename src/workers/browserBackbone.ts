/**
 * Loads an exported backbone over HTTP into onnxruntime-web, for the backbone worker and the bench harness alike:
 * meta.json and sids.tsv, then both graphs with byte progress, then the sessions on the chosen provider.
 */
import * as ort from 'onnxruntime-web/webgpu';
import type { BackboneModel } from '../engines/backbone/backboneRecommender';
import { parseBackboneMeta } from '../engines/backbone/modelMeta';
import { ortBackboneRuntime, type OrtModule, type OrtSession } from '../engines/backbone/ortRuntime';
import { parseSidTable } from '../engines/backbone/sidTable';

export interface BrowserBackboneOptions {
  readonly provider: 'webgpu' | 'wasm';
  readonly threads: number;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export async function loadBrowserBackbone(baseUrl: string, options: BrowserBackboneOptions): Promise<BackboneModel> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const meta = parseBackboneMeta(await (await fetchOk(`${base}meta.json`, options.signal)).json(), `${base}meta.json`);
  const sidsUrl = `${base}${meta.files.sids}`;
  const sids = parseSidTable(await (await fetchOk(sidsUrl, options.signal)).text(), sidsUrl, meta.vocab);
  const encoderBytes = await fetchBytes(`${base}${meta.files.encoder}`, 'downloading encoder', options);
  const headBytes = await fetchBytes(`${base}${meta.files.head}`, 'downloading head', options);

  ort.env.wasm.numThreads = options.threads;
  options.onProgress?.(`creating ${options.provider} sessions`, 0, 1);
  const sessionOptions = { executionProviders: [options.provider] };
  // One at a time: the WebGPU EP refuses to create two sessions concurrently.
  const encoder = await ort.InferenceSession.create(encoderBytes, sessionOptions);
  const head = await ort.InferenceSession.create(headBytes, sessionOptions);
  const sessions = { encoder: encoder as unknown as OrtSession, head: head as unknown as OrtSession, provider: options.provider };
  return { meta, sids, runtime: ortBackboneRuntime(ort as unknown as OrtModule, sessions, meta.dModel) };
}

export async function webgpuAvailable(): Promise<boolean> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function fetchOk(url: string, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok || !response.body) throw new Error(`${url}: server answered ${response.status} ${response.statusText}`.trim());
  return response;
}

async function fetchBytes(url: string, stage: string, options: BrowserBackboneOptions): Promise<Uint8Array> {
  const response = await fetchOk(url, options.signal);
  const total = Number(response.headers.get('Content-Length')) || 0;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    options.onProgress?.(stage, loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
