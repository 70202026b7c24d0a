/** The evaluation cases of a snapshot: users with a usable target, their test input, and seen/new target items. */
import { dayFromIso, dayOf } from '../../domain/events';
import type { Segment } from '../../domain/segment';
import type { SnapshotEvent, SnapshotUser } from '../../domain/snapshot';

export interface EvalCase {
  readonly user: string;
  readonly segment: Segment;
  /** Every event before the target day: nothing of the target day is an input. */
  readonly input: readonly SnapshotEvent[];
  readonly targets: readonly string[];
  readonly seenTargets: readonly string[];
  readonly newTargets: readonly string[];
}

export function evalCases(users: readonly SnapshotUser[]): EvalCase[] {
  const cases: EvalCase[] = [];
  for (const user of users) {
    if (!user.target) continue;
    const targetDay = dayFromIso(user.target.day);
    const input = user.events.filter((e) => dayOf(e.time) < targetDay);
    if (input.length === 0) continue;
    const history = new Set(input.map((e) => e.item));
    cases.push({
      user: user.id,
      segment: user.segment,
      input,
      targets: user.target.items,
      seenTargets: user.target.items.filter((i) => history.has(i)),
      newTargets: user.target.items.filter((i) => !history.has(i)),
    });
  }
  return cases;
}
