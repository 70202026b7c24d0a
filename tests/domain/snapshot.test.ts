import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, SCHEMA_FILES, snapshotJsonSchema } from '../../src/domain/snapshotJsonSchema';
import { TABLE_COLUMNS } from '../../src/domain/snapshotManifest';
import { formatPath, validateSnapshot } from '../../src/domain/snapshotValidation';
import { fixtureSnapshot } from '../helpers/snapshotFixture';

function faultOf(data: unknown) {
  const result = validateSnapshot(data);
  if (result.ok) throw new Error('expected the snapshot to be rejected');
  return result.fault;
}

describe('snapshot schema', () => {
  it('accepts a valid snapshot and fills defaults', () => {
    const result = validateSnapshot(fixtureSnapshot());
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.snapshot.intents).toEqual([]);
      expect(result.snapshot.dataset.synthetic).toBe(false);
      expect(result.snapshot.users[0]?.events).toHaveLength(13);
    }
  });

  it('names the path and value of a bad enum', () => {
    const snapshot = fixtureSnapshot();
    (snapshot.users[0]!.events[3] as { action: string }).action = 'teleport';
    const fault = faultOf(snapshot);
    expect(fault.path).toBe('users[0].events[3].action');
    expect(fault.value).toBe('"teleport"');
  });

  it('names a missing required field', () => {
    const snapshot = fixtureSnapshot() as Record<string, unknown>;
    delete snapshot.dataset;
    const fault = faultOf(snapshot);
    expect(fault.path).toBe('dataset');
    expect(fault.value).toBe('(missing)');
  });

  it('rejects a wrong version and a non-object', () => {
    expect(faultOf({ ...fixtureSnapshot(), version: 2 }).path).toBe('version');
    expect(faultOf([1, 2]).path).toBe('(root)');
    expect(faultOf(null).path).toBe('(root)');
  });

  it('rejects a bad target day format', () => {
    const snapshot = fixtureSnapshot();
    snapshot.users[0]!.target = { day: '12/06/2019', items: ['i2'] };
    const fault = faultOf(snapshot);
    expect(fault.path).toBe('users[0].target.day');
    expect(fault.message).toMatch(/YYYY-MM-DD/);
  });

  it('rejects an event whose item is not in the item table', () => {
    const snapshot = fixtureSnapshot();
    snapshot.users[1]!.events[0]!.item = 'ghost';
    const fault = faultOf(snapshot);
    expect(fault.path).toBe('users[1].events[0].item');
    expect(fault.value).toBe('"ghost"');
  });

  it('rejects duplicate ids and unknown roles', () => {
    const dupItems = fixtureSnapshot();
    dupItems.items.push({ id: 'i1' });
    expect(faultOf(dupItems).path).toBe('items[3].id');

    const dupUsers = fixtureSnapshot();
    dupUsers.users.push({ id: 'u1', segment: 'short', events: [] });
    expect(faultOf(dupUsers).path).toBe('users[2].id');

    const badRole = fixtureSnapshot();
    badRole.reasoning = [
      {
        user: 'u1',
        roles: [{ role: 'wizard', confidence: 0.5 }],
        intentEvolution: [],
        paths: [],
        candidates: [],
        provenance: { reasoner: 'test', seed: 1, params: {} },
      },
    ];
    expect(faultOf(badRole).path).toBe('reasoning[0].roles[0].role');
  });

  it('checks prediction lists against users, items and their scores', () => {
    const snapshot = fixtureSnapshot();
    snapshot.predictions = [{ model: 'pop', lists: [{ user: 'u1', items: ['i1', 'i2'], scores: [1] }] }];
    expect(faultOf(snapshot).path).toBe('predictions[0].lists[0].scores');
  });

  it('truncates long values in the preview', () => {
    const snapshot = fixtureSnapshot();
    (snapshot as { createdAt: unknown }).createdAt = 42;
    expect(faultOf(snapshot).path).toBe('createdAt');
    const long = fixtureSnapshot();
    (long.users[0]!.events[0] as { action: string }).action = 'x'.repeat(500);
    expect(faultOf(long).value.length).toBeLessThan(130);
  });

  it('formats paths', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['users', 3, 'events', 0, 'item'])).toBe('users[3].events[0].item');
  });

  it.each([
    [SCHEMA_FILES.snapshot, snapshotJsonSchema],
    [SCHEMA_FILES.manifest, manifestJsonSchema],
  ])('keeps the committed %s in step with the zod schema (npm run schema regenerates it)', (file, generate) => {
    const committed = JSON.parse(readFileSync(file, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generate())));
  });

  // Other producers write the Parquet layout from the README: its column tables must say what the reader expects.
  it('documents every Parquet column in the README with its type and whether it is required', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [table, columns] of Object.entries(TABLE_COLUMNS)) {
      const at = readme.indexOf(`**${table}.parquet**`);
      expect(at, `README section for ${table}.parquet`).toBeGreaterThan(-1);
      const section = readme.slice(at);
      for (const c of columns) expect(section).toContain(`| \`${c.name}\` | ${c.type} | ${c.optional ? 'no' : 'yes'} |`);
    }
  });
});
