import { describe, expect, it } from 'vitest';
import { SECONDS_PER_DAY } from '../../src/domain/events';
import { snapshotSchema } from '../../src/domain/snapshot';
import { validateSnapshot } from '../../src/domain/snapshotValidation';
import { synthSnapshot } from '../../src/data/synthSnapshot';
import { fixtureSnapshot } from '../helpers/snapshotFixture';

describe('synthSnapshot', () => {
  const source = snapshotSchema.parse(fixtureSnapshot());

  it('draws N users from the real ones, says it is synthetic, and validates', () => {
    const synth = synthSnapshot(source, { users: 50, seed: 3 });
    expect(synth.users).toHaveLength(50);
    expect(synth.dataset.synthetic).toBe(true);
    expect(synth.dataset.attribution.source).toMatch(/^Synthetic users resampled from fixture/);
    expect(new Set(synth.users.map((u) => u.id)).size).toBe(50);
    expect(validateSnapshot(synth).ok).toBe(true);
    for (const user of synth.users) {
      const real = source.users.find((u) => u.events.length === user.events.length && u.segment === user.segment)!;
      const shift = (user.events[0]!.time - real.events[0]!.time) / SECONDS_PER_DAY;
      expect(Number.isInteger(shift)).toBe(true);
      expect(user.events.map((e) => e.item)).toEqual(real.events.map((e) => e.item));
    }
  });

  it('is reproducible from the seed', () => {
    expect(synthSnapshot(source, { users: 20, seed: 9 })).toEqual(synthSnapshot(source, { users: 20, seed: 9 }));
    expect(synthSnapshot(source, { users: 20, seed: 9 })).not.toEqual(synthSnapshot(source, { users: 20, seed: 10 }));
  });
});
