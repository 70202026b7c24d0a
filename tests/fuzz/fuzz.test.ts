/**
 * Property-based fuzzing of every raw-format reader and the snapshot loader with malformed and hostile inputs.
 * Each input must give a valid result or a typed error that names the fault, within a time bound; never another
 * exception or a hang. `npm test` runs a sample; `npm run fuzz` runs 10,000 cases per target (FUZZ_RUNS).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../../src/data/malformed';
import { stringSource } from '../../src/data/rawSource';
import { FORMAT_FILES, FORMATS, readRaw, type RawFormat } from '../../src/data/readers';
import { openParquetSnapshot, type OpenTable } from '../../src/data/parquetSnapshotReader';
import { snapshotHeader, snapshotUserRecords, writeParquetSnapshot } from '../../src/data/parquetSnapshotWriter';
import { readSnapshot, readSnapshotDocument, SnapshotLoadError } from '../../src/data/snapshotIo';
import type { Manifest } from '../../src/domain/snapshotManifest';
import { ACTIONS } from '../../src/domain/events';
import { memorySink } from '../helpers/parquetMemory';
import { fixtureSnapshot } from '../helpers/snapshotFixture';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const CASE_MS = 2_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

/** Field values a hostile or broken export could hold, mixed with plausible ones. */
const field = fc.oneof(
  fc.constantFrom('1', '2', '3', '4', '0', 'pv', 'buy', 'cart', 'fav', 'view', 'purchase', 'remove_from_cart', '4-15', '12-31', '20190610',
    '2019-10-01 00:00:00 UTC', '1511544070', '-1', '1e309', 'NaN', '', ' ', '"', '""', '"a,b"', '<img src=x onerror=alert(1)>', '\u0000', '😀',
    '9'.repeat(40), '2019-13-45 99:99:99 UTC', '0x1F'),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
);

function lineArbitrary(separator: string) {
  return fc.array(field, { minLength: 0, maxLength: 11 }).map((fields) => fields.join(separator));
}

function fileArbitrary(separator: string, header?: string) {
  return fc
    .tuple(fc.array(lineArbitrary(separator), { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 64 }))
    .map(([lines, eol, withHeader, trailing, chunk]) => ({
      text: [...(withHeader && header ? [header] : []), ...lines].join(eol) + (trailing ? eol : ''),
      chunk,
    }));
}

const SEPARATORS: Record<RawFormat, { separator: string; header?: string }> = {
  cikm2019: { separator: '\t' },
  tmall2014: { separator: ',', header: 'user_id,brand_id,type,visit_datetime' },
  'taobao-ub': { separator: ',' },
  rees46: { separator: ',', header: 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session' },
};

async function withinTime<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`took over ${CASE_MS} ms`)), CASE_MS)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(FORMATS)('reader %s', (format) => {
  const { separator, header } = SEPARATORS[format];
  const fileName = FORMAT_FILES[format][0]!.name;

  it(`gives a consistent result or a DatasetFormatError naming ${fileName} (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fileArbitrary(separator, header), fileArbitrary('\t'), async (events, items) => {
        const sources = {
          events: stringSource(fileName, events.text, events.chunk),
          ...(format === 'cikm2019' ? { items: stringSource('ecomm_item_feature.txt', items.text, items.chunk) } : {}),
        };
        try {
          const result = await withinTime(readRaw(format, sources));
          const skipped = Object.values(result.skipped).reduce((a, b) => a + b, 0);
          expect(result.events.length + result.malformed.total + skipped).toBeLessThanOrEqual(result.rows);
          for (const event of result.events) {
            expect(ACTIONS).toContain(event.action);
            expect(Number.isFinite(event.time)).toBe(true);
            expect(event.user.length).toBeGreaterThan(0);
            expect(event.item.length).toBeGreaterThan(0);
          }
        } catch (error) {
          if (!(error instanceof DatasetFormatError)) throw error;
          expect(error.message).toMatch(/\S/);
          expect(error.file.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes as BlobPart]).stream();
}

async function loadOrTypedError(bytes: Uint8Array): Promise<void> {
  try {
    const snapshot = await withinTime(readSnapshot(streamOf(bytes), { source: 'fuzzed.json', maxBytes: 1 << 20 }));
    expect(snapshot.schema).toBe('rolegen.snapshot');
  } catch (error) {
    if (!(error instanceof SnapshotLoadError)) throw error;
    expect(error.source).toBe('fuzzed.json');
    expect(error.message).toMatch(/\S/);
  }
}

/** Sets the value at a random path of a JSON value (arrays and objects are walked by index/key). */
function mutate(value: unknown, steps: readonly number[], replacement: unknown): unknown {
  if (steps.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[steps[0]! % keys.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string, unknown>)[key] = mutate((value as Record<string, unknown>)[key], steps.slice(1), replacement);
  return copy;
}

describe('snapshot loader', () => {
  it(`random JSON documents: a valid snapshot or a SnapshotLoadError (${RUNS} cases)`, async () => {
    await fc.assert(fc.asyncProperty(fc.json(), async (text) => loadOrTypedError(new TextEncoder().encode(text))), { numRuns: RUNS, seed: SEED });
  });

  it(`one mutated field of a valid snapshot: valid, or an error naming the field path (${RUNS} cases)`, async () => {
    const base = fixtureSnapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue(), fc.boolean(), async (steps, replacement, gzip) => {
        const text = JSON.stringify(mutate(base, steps, replacement));
        const bytes = new TextEncoder().encode(text);
        await loadOrTypedError(gzip ? new Uint8Array(gzipSync(bytes)) : bytes);
        try {
          await readSnapshot(streamOf(bytes), { source: 'fuzzed.json' });
        } catch (error) {
          if (error instanceof SnapshotLoadError && error.path !== undefined) expect(error.message).toContain(error.path);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`random and truncated bytes, gzip magic included: a SnapshotLoadError (${RUNS} cases)`, async () => {
    const valid = new Uint8Array(gzipSync(JSON.stringify(fixtureSnapshot())));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.nat(), fc.boolean(), async (noise, cut, gzipped) => {
        const bytes = gzipped ? Uint8Array.from([0x1f, 0x8b, ...noise]) : noise;
        await loadOrTypedError(bytes);
        await loadOrTypedError(valid.slice(0, cut % valid.length));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('Parquet snapshot loader', () => {
  let memory: ReturnType<typeof memorySink>;
  let manifest: Manifest;
  beforeAll(async () => {
    const snapshot = await readSnapshot(streamOf(new TextEncoder().encode(JSON.stringify(fixtureSnapshot()))), { source: 'fixture.json' });
    memory = memorySink();
    manifest = await writeParquetSnapshot(snapshotHeader(snapshot), snapshotUserRecords(snapshot), memory.sink);
  });

  /** Opens the manifest (as JSON text) over the tables and reads every user: all of it works, or a SnapshotLoadError. */
  async function openOrTypedError(manifestValue: unknown, open: OpenTable): Promise<void> {
    try {
      const document = await withinTime(readSnapshotDocument(streamOf(new TextEncoder().encode(JSON.stringify(manifestValue))), { source: 'manifest.json' }));
      if (document.kind !== 'manifest') return;
      const opened = await withinTime(openParquetSnapshot(document.manifest, open, { source: 'manifest.json' }));
      expect(opened.rows.length).toBe(document.manifest.counts.users);
      for (const row of opened.rows) expect((await withinTime(opened.readUser(row.id))).user.id).toBe(row.id);
    } catch (error) {
      if (!(error instanceof SnapshotLoadError)) throw error;
      expect(error.source).toMatch(/\S/);
      expect(error.message).toMatch(/\S/);
    }
  }

  it(`corrupted or truncated table bytes: opens and reads, or a SnapshotLoadError (${RUNS} cases)`, async () => {
    const files = Object.values(manifest.tables);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat()),
        async (file, flips, cut) => {
          const bytes = memory.bytes(file).slice();
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const damaged = cut === null ? bytes : bytes.slice(0, cut % bytes.length);
          await openOrTypedError(manifest, memory.opener({ [file]: damaged }));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`one mutated manifest field: opens and reads, or a SnapshotLoadError (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue(), async (steps, replacement) => {
        await openOrTypedError(mutate(manifest, steps, replacement), memory.opener());
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
