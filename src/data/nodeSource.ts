/** Node-only file access for the CLIs (the readers themselves stay free of `fs` so a browser worker can use them). */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { PREPARED_FILES, readPreparedDataset, type PreparedDataset } from './preparedDataset';
import type { RawSource } from './rawSource';

export function fileSource(path: string): RawSource {
  return {
    name: path,
    async *chunks() {
      // encoding 'utf8' decodes across chunk boundaries (a multi-byte character is never split).
      for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
        yield String(chunk);
      }
    },
  };
}

/** Reads a directory written by `npm run prepare` (streaming each file, so big datasets never become one string). */
export function readPreparedDir(dir: string): Promise<PreparedDataset> {
  return readPreparedDataset({
    'dataset.json': fileSource(join(dir, PREPARED_FILES.meta)),
    'items.tsv': fileSource(join(dir, PREPARED_FILES.items)),
    'events.tsv': fileSource(join(dir, PREPARED_FILES.events)),
    'users.tsv': fileSource(join(dir, PREPARED_FILES.users)),
  });
}
