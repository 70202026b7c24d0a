/** Node-side file access for Parquet snapshots: a folder with manifest.json and its tables. */
import { mkdirSync, openSync, readSync, fstatSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AsyncBuffer } from 'hyparquet';
import { fileWriter } from 'hyparquet-writer';
import type { ParquetSnapshotSink } from './parquetSnapshotWriter';
import type { OpenTable } from './parquetSnapshotReader';
import { SnapshotLoadError } from './snapshotIo';

export const MANIFEST_FILE = 'manifest.json';

export function folderSink(dir: string): ParquetSnapshotSink {
  mkdirSync(dir, { recursive: true });
  return {
    table: (file) => fileWriter(join(dir, file)),
    // Item ids rarely repeat within a row group, so dictionaries do not help; gzip shrinks them 3-4x over snappy.
    compression: { codec: 'GZIP', compress: (input) => gzipSync(input, { level: 6 }) },
    manifest: (text) => writeFileSync(join(dir, MANIFEST_FILE), text),
  };
}

/** Reads byte ranges on demand, as the browser does over HTTP, so Node measures the same access pattern. */
export function folderTables(dir: string): OpenTable {
  return async (file) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new SnapshotLoadError(file, `table file is missing (looked for ${path})`);
    const fd = openSync(path, 'r');
    const byteLength = fstatSync(fd).size;
    const buffer: AsyncBuffer = {
      byteLength,
      slice(start, end = byteLength) {
        const out = Buffer.alloc(Math.max(0, end - start));
        readSync(fd, out, 0, out.length, start);
        return out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
      },
    };
    return buffer;
  };
}
