/** Hand-built snapshots for the view tests (validated through the real schema). */
import { DEFAULT_ROLE_TAXONOMY } from '../../src/domain/roles';
import { snapshotSchema, type Snapshot, type SnapshotInput } from '../../src/domain/snapshot';
import { loadedSnapshot, type LoadedSnapshot } from '../../src/state/snapshotStore';

export const DAY = 86_400;
/** 2014-06-01 00:00 UTC */
export const D0 = Date.UTC(2014, 5, 1) / 1000;
export const day = (n: number): number => D0 + n * DAY;

type UserInput = SnapshotInput['users'][number];

export function makeSnapshot(overrides: Partial<SnapshotInput> = {}): Snapshot {
  const base: SnapshotInput = {
    schema: 'rolegen.snapshot',
    version: 1,
    createdAt: '2025-01-01T00:00:00Z',
    producer: { tool: 'test', version: '0' },
    dataset: {
      name: 'test',
      format: 'test',
      resolution: 'day',
      attribution: { source: 'test', terms: 'test' },
    },
    protocol: {
      split: { kind: 'last-purchase-day', description: 'test' },
      dormantRule: { minNonPurchaseEvents: 10, maxPurchaseRate: 0.05 },
      ks: [1, 5, 10],
    },
    roleTaxonomy: DEFAULT_ROLE_TAXONOMY.map((r) => ({ ...r })),
    intents: [],
    items: [],
    users: [],
  };
  return snapshotSchema.parse({ ...base, ...overrides });
}

/**
 * User u1 at day resolution:
 *  day 0: i1 click (cat 327), i2 click (cat 500), i1 fav      <- three unordered same-day events
 *  day 1: i3 cart (cat 327)
 *  day 2: i3 buy                                                <- validation day
 *  day 4: i4 click (cat 900), i3 buy, i5 buy                    <- target day (i3 seen, i5 new)
 */
export const U1: UserInput = {
  id: 'u1',
  segment: 'dormant',
  events: [
    { item: 'i1', action: 'click', time: day(0) },
    { item: 'i2', action: 'click', time: day(0) },
    { item: 'i1', action: 'fav', time: day(0) },
    { item: 'i3', action: 'cart', time: day(1) },
    { item: 'i3', action: 'buy', time: day(2) },
    { item: 'i4', action: 'click', time: day(4) },
    { item: 'i3', action: 'buy', time: day(4) },
    { item: 'i5', action: 'buy', time: day(4) },
  ],
  target: { day: '2014-06-05', items: ['i3', 'i5'] },
  validation: { day: '2014-06-03', items: ['i3'] },
};

export const ITEMS: SnapshotInput['items'] = [
  { id: 'i1', categories: ['1', '327'], brand: 'b1', price: 9.5, title: 'Kettle <b>steel</b>' },
  { id: 'i2', categories: ['1', '500'] },
  { id: 'i3', categories: ['1', '327'], price: 20 },
  { id: 'i4', categories: ['2', '900'] },
  { id: 'i5', categories: ['2', '901'] },
];

export function u1Snapshot(extra: Partial<SnapshotInput> = {}): Snapshot {
  return makeSnapshot({ items: ITEMS, users: [U1], ...extra });
}

export function loaded(snapshot: Snapshot): LoadedSnapshot {
  return loadedSnapshot({ format: 'json', snapshot }, 'test.json');
}
