/**
 * Prepared dataset -> snapshot v1 (users, events, split, segment, items, attribution).
 * Predictions, reasoning, metrics and loop rounds are added by later stages; a plain snapshot omits them.
 */
import { isoDay } from '../domain/events';
import { DEFAULT_ROLE_TAXONOMY } from '../domain/roles';
import { SNAPSHOT_SCHEMA_ID, SNAPSHOT_VERSION, type Snapshot, type SnapshotItem, type SnapshotUser } from '../domain/snapshot';
import type { DatasetUser } from './dataset';
import type { PreparedDataset } from './preparedDataset';

export const DEFAULT_KS = [1, 5, 10, 20] as const;
export const USER_SELECTIONS = ['all', 'dormant'] as const;
export type UserSelection = (typeof USER_SELECTIONS)[number];

export interface SnapshotBuildOptions {
  readonly users: UserSelection;
  readonly createdAt: string;
  readonly producer: Snapshot['producer'];
}

export function buildSnapshot(prepared: PreparedDataset, options: SnapshotBuildOptions): Snapshot {
  const { meta, dataset } = prepared;
  const chosen = dataset.users.filter((u) => options.users === 'all' || u.segment === 'dormant');
  const users = chosen.map(snapshotUser);
  return {
    schema: SNAPSHOT_SCHEMA_ID,
    version: SNAPSHOT_VERSION,
    createdAt: options.createdAt,
    producer: options.producer,
    dataset: {
      name: meta.name,
      format: meta.format,
      resolution: meta.resolution,
      attribution: meta.attribution ?? {
        source: `${meta.source} (no SOURCE.md found next to the input)`,
        terms: 'unknown: add the data terms before sharing',
      },
      synthetic: false,
    },
    protocol: {
      split: { kind: 'last-purchase-day', description: meta.split.description },
      dormantRule: { ...meta.dormantRule },
      ks: [...DEFAULT_KS],
    },
    roleTaxonomy: DEFAULT_ROLE_TAXONOMY.map((role) => ({ ...role })),
    intents: [],
    items: referencedItems(dataset.items, users),
    users,
  };
}

function snapshotUser(user: DatasetUser): SnapshotUser {
  const { target, validation } = user.split;
  return {
    id: user.id,
    segment: user.segment,
    events: user.events.map(({ item, action, time }) => ({ item, action, time })),
    ...(target ? { target: { day: isoDay(target.day), items: [...target.items] } } : {}),
    ...(validation ? { validation: { day: isoDay(validation.day), items: [...validation.items] } } : {}),
  };
}

/** Only items the chosen users touch, in the dataset's item order, so a dormant-only snapshot stays small. */
function referencedItems(items: PreparedDataset['dataset']['items'], users: readonly SnapshotUser[]): SnapshotItem[] {
  const used = new Set<string>();
  for (const user of users) for (const event of user.events) used.add(event.item);
  return items
    .filter((item) => used.has(item.id))
    .map((item) => ({
      id: item.id,
      ...(item.title !== undefined ? { title: item.title } : {}),
      ...(item.categories !== undefined ? { categories: [...item.categories] } : {}),
      ...(item.brand !== undefined ? { brand: item.brand } : {}),
      ...(item.price !== undefined ? { price: item.price } : {}),
    }));
}
