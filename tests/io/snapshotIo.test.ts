import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSnapshot, SnapshotLoadError, type SnapshotLoadProgress } from '../../src/data/snapshotIo';
import { fixtureSnapshot } from '../helpers/snapshotFixture';

function streamOf(bytes: Uint8Array, chunk = 7): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

const encode = (text: string) => new TextEncoder().encode(text);

async function failure(bytes: Uint8Array, options: { maxBytes?: number; maxTextBytes?: number; totalBytes?: number } = {}) {
  try {
    await readSnapshot(streamOf(bytes), { source: 'bad.json', ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotLoadError);
    return error as SnapshotLoadError;
  }
  throw new Error('expected a failure');
}

describe('readSnapshot', () => {
  it('reads plain JSON and reports progress phases in order', async () => {
    const bytes = encode(JSON.stringify(fixtureSnapshot()));
    const phases: SnapshotLoadProgress[] = [];
    const snapshot = await readSnapshot(streamOf(bytes, 100), {
      source: 'ok.json',
      totalBytes: bytes.length,
      onProgress: (p) => phases.push(p),
    });
    expect(snapshot.users.map((u) => u.id)).toEqual(['u1', 'u2']);
    const order = [...new Set(phases.map((p) => p.phase))];
    expect(order).toEqual(['reading', 'parsing', 'validating']);
    expect(phases.filter((p) => p.phase === 'reading').at(-1)?.fraction).toBe(1);
  });

  it('reads gzip (detected by magic bytes, whatever the name)', async () => {
    const bytes = new Uint8Array(gzipSync(JSON.stringify(fixtureSnapshot())));
    const phases: string[] = [];
    const snapshot = await readSnapshot(streamOf(bytes), { source: 'x.json', onProgress: (p) => phases.push(p.phase) });
    expect(snapshot.items).toHaveLength(3);
    expect(phases).toContain('decompressing');
  });

  it('names line and column of a JSON syntax error', async () => {
    const error = await failure(encode('{\n  "schema": "rolegen.snapshot",\n  "version": 1,,\n}'));
    expect(error.source).toBe('bad.json');
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/line 3/);
  });

  it('names the field path and value of a schema violation', async () => {
    const snapshot = fixtureSnapshot();
    (snapshot.users[0]!.events[0] as { time: unknown }).time = 'yesterday';
    const error = await failure(encode(JSON.stringify(snapshot)));
    expect(error.path).toBe('users[0].events[0].time');
    expect(error.value).toBe('"yesterday"');
    expect(error.message).toContain('users[0].events[0].time');
  });

  it('rejects empty, truncated gzip and oversized input', async () => {
    expect((await failure(encode('  '))).message).toMatch(/empty/);
    const gz = new Uint8Array(gzipSync(JSON.stringify(fixtureSnapshot())));
    expect((await failure(gz.slice(0, gz.length - 20))).message).toMatch(/gzip|JSON/);
    expect((await failure(encode('{}'), { totalBytes: 5000, maxBytes: 1000 })).message).toMatch(/over the .* limit; not read/);
    expect((await failure(encode('x'.repeat(2000)), { maxBytes: 1000 })).message).toMatch(/exceeds/);
  });

  it('refuses JSON text longer than a string can hold, plain or gzipped, and points to Parquet', async () => {
    const text = encode(JSON.stringify(fixtureSnapshot()));
    const limit = { maxTextBytes: text.length - 1 };
    for (const bytes of [text, new Uint8Array(gzipSync(text))]) {
      const error = await failure(bytes, limit);
      expect(error.message).toContain('more than a browser can parse as one string');
      expect(error.message).toContain('--format parquet');
    }
    await expect(readSnapshot(streamOf(text), { source: 'ok.json', maxTextBytes: text.length })).resolves.toBeDefined();
    // Not JSON text: the text limit does not apply, so the reader still says what the bytes are.
    const parquet = new Uint8Array([0x50, 0x41, 0x52, 0x31, ...new Array(64).fill(0)]);
    expect((await failure(parquet, { maxTextBytes: 8 })).message).toContain('is a Parquet table');
  });
});
