/** A Parquet snapshot written to memory, and an opener over its tables that can be told to replace a file's bytes. */
import { ByteWriter } from 'hyparquet-writer';
import type { AsyncBuffer } from 'hyparquet';
import type { Manifest } from '../../src/domain/snapshotManifest';
import type { OpenTable } from '../../src/data/parquetSnapshotReader';
import type { ParquetSnapshotSink } from '../../src/data/parquetSnapshotWriter';
import { SnapshotLoadError } from '../../src/data/snapshotIo';

export function memorySink() {
  const writers = new Map<string, ByteWriter>();
  let manifestText = '';
  const sink: ParquetSnapshotSink = {
    table: (file) => {
      const writer = new ByteWriter();
      writers.set(file, writer);
      return writer;
    },
    manifest: (text) => {
      manifestText = text;
    },
  };
  const bytes = (file: string) => new Uint8Array(writers.get(file)!.getBuffer());
  const opener = (replace: Record<string, Uint8Array> = {}): OpenTable => async (file) => {
    const data = replace[file] ?? (writers.has(file) ? bytes(file) : undefined);
    if (!data) throw new SnapshotLoadError(file, 'table file is missing');
    const buffer: AsyncBuffer = { byteLength: data.byteLength, slice: (s, e) => data.slice(s, e).buffer };
    return buffer;
  };
  return { sink, opener, bytes, manifest: () => JSON.parse(manifestText) as Manifest };
}
