import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortRow } from '../../src/domain/cohort';
import type { Snapshot } from '../../src/domain/snapshot';
import { openParquetSnapshot } from '../../src/data/parquetSnapshotReader';
import { memorySink } from '../helpers/parquetMemory';
import { snapshotHeader, snapshotUserRecords, writeParquetSnapshot } from '../../src/data/parquetSnapshotWriter';
import { readSnapshot, readSnapshotDocument, SnapshotLoadError } from '../../src/data/snapshotIo';

async function bundled(): Promise<Snapshot> {
  return readSnapshot(new Blob([readFileSync('public/snapshots/cikm2019.json.gz')]).stream(), { source: 'bundled' });
}

describe('Parquet snapshot', () => {
  it('round-trips the bundled snapshot: cohort rows, items, metrics and every user record', async () => {
    const snapshot = await bundled();
    const memory = memorySink();
    const manifest = await writeParquetSnapshot(snapshotHeader(snapshot), snapshotUserRecords(snapshot), memory.sink);
    expect(manifest.counts.users).toBe(snapshot.users.length);

    // The manifest as a producer would hand it over: read through the same document reader as a JSON snapshot.
    const document = await readSnapshotDocument(new Blob([JSON.stringify(memory.manifest())]).stream(), { source: 'manifest.json' });
    expect(document.kind).toBe('manifest');
    if (document.kind !== 'manifest') return;
    const opened = await openParquetSnapshot(document.manifest, memory.opener(), { source: 'manifest.json' });

    expect(opened.rows).toEqual(snapshot.users.map(cohortRow));
    expect(opened.items).toEqual(snapshot.items);
    expect(opened.meta.metrics).toEqual(snapshot.metrics);
    expect(opened.meta.loop).toEqual(snapshot.loop);
    expect(opened.meta.predictionModels.map((m) => m.model)).toEqual((snapshot.predictions ?? []).map((p) => p.model));

    const reasoning = new Map((snapshot.reasoning ?? []).map((r) => [r.user, r]));
    expect(reasoning.size).toBeGreaterThan(0);
    const sample = [snapshot.users[0]!, snapshot.users.at(-1)!, ...snapshot.users.filter((u) => reasoning.has(u.id)).slice(0, 5)];
    for (const user of sample) {
      const record = await opened.readUser(user.id);
      expect(record.user).toEqual(user);
      expect(record.reasoning).toEqual(reasoning.get(user.id));
      for (const set of snapshot.predictions ?? []) {
        expect(record.predictions.find((p) => p.model === set.model)?.list).toEqual(set.lists.find((l) => l.user === user.id));
      }
    }
  });

  it('names the table, row and column at fault', async () => {
    const snapshot = await bundled();
    const small: Snapshot = { ...snapshot, users: snapshot.users.slice(0, 20), predictions: undefined, reasoning: undefined, metrics: undefined };
    const good = memorySink();
    const manifest = await writeParquetSnapshot(snapshotHeader(small), snapshotUserRecords(small), good.sink);

    // Events of user 1 handed to user 0: the ownership check must catch the misordered rows.
    const shifted: Snapshot = { ...small, users: small.users.map((u, i) => (i === 0 ? { ...u, events: [...u.events, ...small.users[1]!.events.slice(0, 1)] } : u)) };
    const bad = memorySink();
    await writeParquetSnapshot(snapshotHeader(shifted), snapshotUserRecords(shifted), bad.sink);
    const mixed = await openParquetSnapshot(manifest, good.opener({ 'users.parquet': bad.bytes('users.parquet') }), { source: 'm' }).catch((e: unknown) => e);
    expect(mixed).toBeInstanceOf(SnapshotLoadError);
    expect((mixed as SnapshotLoadError).message).toMatch(/counts add up to \d+ events but events.parquet has \d+ rows/);

    // Rows in another order than the users table: same counts, so only the ownership check can tell.
    const two: Snapshot = { ...small, users: small.users.slice(0, 2).map((u) => ({ ...u, events: u.events.slice(0, 2) })) };
    const reordered: Snapshot = { ...two, users: [two.users[1]!, two.users[0]!] };
    const inOrder = memorySink();
    const twoManifest = await writeParquetSnapshot(snapshotHeader(two), snapshotUserRecords(two), inOrder.sink);
    const outOfOrder = memorySink();
    await writeParquetSnapshot(snapshotHeader(reordered), snapshotUserRecords(reordered), outOfOrder.sink);
    const misordered = await openParquetSnapshot(twoManifest, inOrder.opener({ 'events.parquet': outOfOrder.bytes('events.parquet') }), { source: 'm' });
    await expect(misordered.readUser(two.users[0]!.id)).rejects.toThrow(/belongs to user/);
    const error = (await misordered.readUser(two.users[0]!.id).catch((e: unknown) => e)) as SnapshotLoadError;
    expect(error.source).toBe('events.parquet');
    expect(error.message).toMatch(/^row 0, column user: belongs to user ".*", expected ".*": rows must follow/);

    const missing = await openParquetSnapshot({ ...manifest, tables: { ...manifest.tables, events: 'nope.parquet' } }, good.opener(), { source: 'm' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SnapshotLoadError);
    expect((missing as SnapshotLoadError).source).toBe('nope.parquet');

    const truncated = good.bytes('events.parquet').slice(0, 100);
    const broken = await openParquetSnapshot(manifest, good.opener({ 'events.parquet': truncated }), { source: 'm' }).catch((e: unknown) => e);
    expect((broken as SnapshotLoadError).message).toMatch(/not a readable Parquet file/);

    // The items table in place of the users table: a missing required column, named.
    const swapped = await openParquetSnapshot(manifest, good.opener({ 'users.parquet': good.bytes('items.parquet') }), { source: 'm' }).catch((e: unknown) => e);
    expect((swapped as SnapshotLoadError).message).toMatch(/column user: required column is missing/);

    const opened = await openParquetSnapshot(manifest, good.opener(), { source: 'm' });
    await expect(opened.readUser('no-such-user')).rejects.toThrow(/is not in users.parquet/);
  });

  it('refuses a Parquet table opened as a snapshot, and a manifest where a whole snapshot is needed', async () => {
    const snapshot = await bundled();
    const small: Snapshot = { ...snapshot, users: snapshot.users.slice(0, 3), predictions: undefined, reasoning: undefined };
    const memory = memorySink();
    await writeParquetSnapshot(snapshotHeader(small), snapshotUserRecords(small), memory.sink);
    await expect(readSnapshotDocument(new Blob([memory.bytes('users.parquet')]).stream(), { source: 'users.parquet' })).rejects.toThrow(/is a Parquet table/);
    await expect(readSnapshot(new Blob([JSON.stringify(memory.manifest())]).stream(), { source: 'manifest.json' })).rejects.toThrow(/manifest of a Parquet snapshot/);
    const wrong = { ...memory.manifest(), tables: { ...memory.manifest().tables, users: '../etc/passwd' } };
    await expect(readSnapshotDocument(new Blob([JSON.stringify(wrong)]).stream(), { source: 'manifest.json' })).rejects.toThrow(/tables.users/);
  });
});
