/**
 * Where a Parquet snapshot's tables come from in a browser (or any fetch-capable runtime): beside the manifest's
 * URL, read with HTTP range requests so only the row groups asked for travel; or among files the user picked.
 */
import type { AsyncBuffer } from 'hyparquet';
import type { OpenTable } from './parquetSnapshotReader';
import { SnapshotLoadError } from './snapshotIo';

export function urlTables(manifestUrl: string, signal?: AbortSignal): OpenTable {
  return async (file) => {
    const url = new URL(file, new URL(manifestUrl, globalThis.location?.href)).href;
    const head = await request(url, { method: 'HEAD', ...(signal ? { signal } : {}) });
    const byteLength = Number(head.headers.get('Content-Length'));
    if (!(byteLength > 0)) throw new SnapshotLoadError(url, 'the server did not say how large the table is (no Content-Length)');
    return cachedRanges({
      byteLength,
      async slice(start, end = byteLength) {
        const response = await request(url, { headers: { Range: `bytes=${start}-${end - 1}` }, ...(signal ? { signal } : {}) });
        const body = await response.arrayBuffer();
        // A server that ignores Range sends the whole file with 200: still correct, just slower.
        if (response.status === 200) return body.slice(start, end);
        if (body.byteLength !== end - start) throw new SnapshotLoadError(url, `asked for bytes ${start}-${end - 1}, got ${body.byteLength} bytes`);
        return body;
      },
    });
  };
}

async function request(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new SnapshotLoadError(url, `could not fetch (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new SnapshotLoadError(url, `server answered ${response.status} ${response.statusText}`.trim());
  return response;
}

export function fileTables(files: readonly File[]): OpenTable {
  const byName = new Map(files.map((file) => [file.name, file]));
  return async (name) => {
    const file = byName.get(name);
    if (!file) {
      throw new SnapshotLoadError(name, `table file not among the files opened (${[...byName.keys()].join(', ')}); select the manifest and all its .parquet files together`);
    }
    return cachedRanges({ byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() });
  };
}

/** The footer and the same row groups are asked for again and again (each user read); keep recent ranges. */
function cachedRanges(buffer: AsyncBuffer, limit = 64): AsyncBuffer {
  const cache = new Map<string, Promise<ArrayBuffer>>();
  return {
    byteLength: buffer.byteLength,
    slice(start, end = buffer.byteLength) {
      const key = `${start}:${end}`;
      let hit = cache.get(key);
      if (hit) {
        cache.delete(key);
      } else {
        hit = Promise.resolve(buffer.slice(start, end));
        hit.catch(() => cache.delete(key));
      }
      cache.set(key, hit);
      if (cache.size > limit) cache.delete(cache.keys().next().value!);
      return hit;
    },
  };
}
