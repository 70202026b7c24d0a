/** Entry point for reading any supported raw format into the canonical model. */
import { readCikm2019 } from './cikm2019';
import { DatasetFormatError } from './malformed';
import type { RawSource } from './rawSource';
import type { RawReadResult } from './rawResult';
import { readRees46 } from './rees46';
import type { TableOptions } from './table';
import { readTaobaoUb } from './taobaoUb';
import { readTmall2014 } from './tmall2014';

export type { RawReadResult } from './rawResult';
export type { Progress, FileSummary } from './table';

export const FORMATS = ['cikm2019', 'tmall2014', 'taobao-ub', 'rees46'] as const;
export type RawFormat = (typeof FORMATS)[number];

export function isRawFormat(value: string): value is RawFormat {
  return (FORMATS as readonly string[]).includes(value);
}

export interface FormatFile {
  /** Key in the `sources` record passed to readRaw. */
  readonly key: 'events' | 'items';
  readonly required: boolean;
  /** The name the file has in the original release. */
  readonly name: string;
  /** When the folder lacks `name`, the one file with this extension is taken (single-file formats only). */
  readonly extension?: string;
}

export const FORMAT_FILES: Readonly<Record<RawFormat, readonly FormatFile[]>> = {
  cikm2019: [
    { key: 'events', required: true, name: 'ecomm_edge_train.txt' },
    { key: 'items', required: false, name: 'ecomm_item_feature.txt' },
  ],
  tmall2014: [{ key: 'events', required: true, name: 't_alibaba_data.csv', extension: '.csv' }],
  'taobao-ub': [{ key: 'events', required: true, name: 'UserBehavior.csv', extension: '.csv' }],
  rees46: [{ key: 'events', required: true, name: '2019-Oct.csv', extension: '.csv' }],
};

export type RawSources = Partial<Record<FormatFile['key'], RawSource>>;
export type ReadOptions = TableOptions;

export async function readRaw(format: RawFormat, sources: RawSources, options: ReadOptions = {}): Promise<RawReadResult> {
  const events = sources.events;
  if (!events) throw new DatasetFormatError(FORMAT_FILES[format][0]?.name ?? format, 'missing (no events file given)');
  switch (format) {
    case 'cikm2019':
      return readCikm2019({ events, ...(sources.items ? { items: sources.items } : {}) }, options);
    case 'tmall2014':
      return readTmall2014({ events }, options);
    case 'taobao-ub':
      return readTaobaoUb({ events }, options);
    case 'rees46':
      return readRees46({ events }, options);
  }
}

/**
 * Which files of a folder listing a format reads (pure, so the browser's folder picker can share it).
 * Returns file names by key, or an error message naming what is missing or ambiguous.
 */
export function pickFiles(
  format: RawFormat,
  fileNames: readonly string[],
): { readonly files: Partial<Record<FormatFile['key'], string>> } | { readonly error: string } {
  const files: Partial<Record<FormatFile['key'], string>> = {};
  for (const spec of FORMAT_FILES[format]) {
    if (fileNames.includes(spec.name)) {
      files[spec.key] = spec.name;
      continue;
    }
    const ext = spec.extension;
    const candidates = ext ? fileNames.filter((name) => name.toLowerCase().endsWith(ext)) : [];
    if (candidates.length === 1 && candidates[0] !== undefined) files[spec.key] = candidates[0];
    else if (candidates.length > 1) return { error: `several ${ext} files, expected one (or ${spec.name}): ${candidates.join(', ')}` };
    else if (spec.required) return { error: `no ${spec.name}${ext ? ` or other ${ext} file` : ''}` };
  }
  return { files };
}
