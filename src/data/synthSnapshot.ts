/**
 * A synthetic snapshot of N users for scale tests only: each synthetic user is a real user of the source snapshot,
 * drawn with replacement (so sequence lengths, action mix, category spread and purchase rates follow the real data),
 * under a new id and with its times shifted by whole days. The result says it is synthetic; the UI marks it.
 * Users come one at a time, so a million of them can stream to a file.
 */
import { SECONDS_PER_DAY, dayFromIso, isoDay } from '../domain/events';
import type { Snapshot, SnapshotUser } from '../domain/snapshot';
import { seededRandom } from '../domain/random';

export interface SynthOptions {
  readonly users: number;
  readonly seed: number;
  /** Largest shift of a drawn user's days, either way. */
  readonly maxShiftDays?: number;
}

/** The source snapshot with no users, renamed and marked synthetic; nothing model-made is carried over. */
export function synthHeader(source: Snapshot, users: number): Omit<Snapshot, 'users'> {
  const { users: _users, ...rest } = source;
  return {
    ...rest,
    dataset: {
      ...source.dataset,
      name: `synthetic-${users}-from-${source.dataset.name}`,
      synthetic: true,
      attribution: {
        ...source.dataset.attribution,
        source: `Synthetic users resampled from ${source.dataset.name} for scale tests only (not data). ${source.dataset.attribution.source}`,
      },
    },
    models: undefined,
    predictions: undefined,
    reasoning: undefined,
    metrics: undefined,
    comparisons: undefined,
    loop: undefined,
  };
}

export function* synthUsers(source: Snapshot, options: SynthOptions): Generator<SnapshotUser> {
  if (source.users.length === 0) throw new Error('the source snapshot has no users to draw from');
  const random = seededRandom(options.seed);
  const maxShift = options.maxShiftDays ?? 3;
  const width = String(options.users - 1).length;
  for (let k = 0; k < options.users; k++) {
    const real = source.users[Math.floor(random() * source.users.length)]!;
    const shift = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
    const move = (day: { day: string; items: string[] } | undefined) => (day ? { day: isoDay(dayFromIso(day.day) + shift), items: day.items } : undefined);
    const target = move(real.target);
    const validation = move(real.validation);
    yield {
      id: `synth-${String(k).padStart(width, '0')}`,
      segment: real.segment,
      events: real.events.map((e) => ({ ...e, time: e.time + shift * SECONDS_PER_DAY })),
      ...(target ? { target } : {}),
      ...(validation ? { validation } : {}),
    };
  }
}

export function synthSnapshot(source: Snapshot, options: SynthOptions): Snapshot {
  return { ...synthHeader(source, options.users), users: [...synthUsers(source, options)] };
}
