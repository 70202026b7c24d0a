/** Test helpers: fixture files as RawSources cut into small chunks, so every reader sees odd chunk boundaries. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringSource, type RawSource } from '../../src/data/rawSource';

export const FIXTURES = fileURLToPath(new URL('../fixtures/raw/', import.meta.url));
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Named by file name, so error messages read like the ones a user sees for that file. */
export function fixture(path: string, chunkSize = 7): RawSource {
  return stringSource(basename(path), readFileSync(`${FIXTURES}${path}`, 'utf8'), chunkSize);
}
