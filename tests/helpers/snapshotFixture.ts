/** A small, valid snapshot built by hand, for unit and e2e tests. */
import { DEFAULT_ROLE_TAXONOMY } from '../../src/domain/roles';
import type { SnapshotInput } from '../../src/domain/snapshot';

const DAY = 86_400;
const JUNE_10 = Date.UTC(2019, 5, 10) / 1000;

export function fixtureSnapshot(): SnapshotInput {
  return {
    schema: 'rolegen.snapshot',
    version: 1,
    createdAt: '2026-12-04T00:00:00.000Z',
    producer: { tool: 'test-fixture', version: '0' },
    dataset: {
      name: 'fixture',
      format: 'cikm2019',
      resolution: 'day',
      attribution: { source: 'hand-built test data', terms: 'none' },
    },
    protocol: {
      split: { kind: 'last-purchase-day', description: 'target = last purchase day' },
      dormantRule: { minNonPurchaseEvents: 10, maxPurchaseRate: 0.05 },
      ks: [1, 5, 10, 20],
    },
    roleTaxonomy: DEFAULT_ROLE_TAXONOMY.map((r) => ({ ...r })),
    items: [
      { id: 'i1', title: 'Red kettle', categories: ['1', '10'], brand: 'b1', price: 20 },
      { id: 'i2', title: 'Blue kettle', categories: ['1', '10'], brand: 'b2', price: 25 },
      { id: 'i3', title: 'Tea', categories: ['1', '11'], brand: 'b3', price: 5 },
    ],
    users: [
      {
        id: 'u1',
        segment: 'dormant',
        events: [
          ...Array.from({ length: 11 }, (_, k) => ({ item: k % 2 ? 'i1' : 'i3', action: 'click' as const, time: JUNE_10 })),
          { item: 'i2', action: 'cart', time: JUNE_10 + DAY },
          { item: 'i2', action: 'buy', time: JUNE_10 + 2 * DAY },
        ],
        target: { day: '2019-06-12', items: ['i2'] },
      },
      {
        id: 'u2',
        segment: 'short',
        events: [{ item: 'i3', action: 'click', time: JUNE_10 }],
      },
    ],
  };
}
