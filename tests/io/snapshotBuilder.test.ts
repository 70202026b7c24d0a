import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/data/dataset';
import { attributionFromSourceMd, readPreparedDataset, serializePreparedDataset, sourceInfo } from '../../src/data/preparedDataset';
import { buildSnapshot } from '../../src/data/snapshotBuilder';
import { readSnapshot } from '../../src/data/snapshotIo';
import { readTaobaoUb } from '../../src/data/taobaoUb';
import { validateSnapshot } from '../../src/domain/snapshotValidation';
import { fixture } from '../data/fixtures';

async function preparedFixture() {
  const raw = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv') });
  const files = serializePreparedDataset(
    buildDataset(raw),
    sourceInfo(raw, {
      name: 'taobao-ub-fixture',
      source: 'tests/fixtures/raw/taobao-ub',
      attribution: attributionFromSourceMd('# t\n\nHand-made rows in the UserBehavior format.\n\nTerms: none.\n'),
    }),
  );
  return readPreparedDataset(files);
}

const options = { createdAt: '2026-12-04T00:00:00Z', producer: { tool: 'test', version: '0' } };

describe('buildSnapshot', () => {
  it('builds a valid snapshot with every user, their split and the attribution', async () => {
    const prepared = await preparedFixture();
    const snapshot = buildSnapshot(prepared, { ...options, users: 'all' });
    expect(validateSnapshot(snapshot).ok).toBe(true);
    expect(snapshot.users).toHaveLength(prepared.dataset.users.length);
    expect(snapshot.dataset.attribution.source).toContain('UserBehavior');
    expect(snapshot.dataset.resolution).toBe('second');
    for (const [u, user] of snapshot.users.entries()) {
      const source = prepared.dataset.users[u]!;
      expect(user.events).toHaveLength(source.events.length);
      expect(user.segment).toBe(source.segment);
      expect(user.target?.items ?? []).toEqual(source.split.target?.items ?? []);
    }
  });

  it('keeps only dormant users and the items they touch', async () => {
    const prepared = await preparedFixture();
    const snapshot = buildSnapshot(prepared, { ...options, users: 'dormant' });
    expect(snapshot.users.length).toBeGreaterThan(0);
    expect(snapshot.users.every((u) => u.segment === 'dormant')).toBe(true);
    const touched = new Set(snapshot.users.flatMap((u) => u.events.map((e) => e.item)));
    expect(new Set(snapshot.items.map((i) => i.id))).toEqual(touched);
    expect(validateSnapshot(snapshot).ok).toBe(true);
  });
});

describe('the bundled default snapshot', () => {
  it('is a valid snapshot of all cikm2019 users with the data attribution', async () => {
    const bytes = readFileSync('public/snapshots/cikm2019.json.gz');
    const snapshot = await readSnapshot(new Blob([bytes]).stream(), { source: 'cikm2019.json.gz' });
    expect(snapshot.users).toHaveLength(1476);
    expect(snapshot.users.reduce((n, u) => n + u.events.length, 0)).toBe(85213);
    expect(snapshot.items).toHaveLength(34505);
    expect(snapshot.users.filter((u) => u.segment === 'dormant').length).toBeGreaterThan(0);
    expect(snapshot.dataset.attribution.text).toContain('Tianchi');
  });
});
