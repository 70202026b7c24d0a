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

/** Test cases: input = every event before the target day; targets = the target day's purchases. */
export function evalCases(users: readonly SnapshotUser[]): EvalCase[] {
  return casesFor(users, 'target');
}

/**
 * Validation cases (the loop's feedback): input = every event before the validation day; targets = that day's
 * purchases. Nothing of the test split is read: only `validation` and events before its day.
 */
export function validationCases(users: readonly SnapshotUser[]): EvalCase[] {
  return casesFor(users, 'validation');
}

function casesFor(users: readonly SnapshotUser[], split: 'target' | 'validation'): EvalCase[] {
  const cases: EvalCase[] = [];
  for (const user of users) {
    const day = user[split];
    if (!day) continue;
    const cutoff = dayFromIso(day.day);
    const input = user.events.filter((e) => dayOf(e.time) < cutoff);
    if (input.length === 0) continue;
    const history = new Set(input.map((e) => e.item));
    cases.push({
      user: user.id,
      segment: user.segment,
      input,
      targets: day.items,
      seenTargets: day.items.filter((i) => history.has(i)),
      newTargets: day.items.filter((i) => !history.has(i)),
    });
  }
  return cases;
}

/** A reasoner input needs a few events to have an intent to reason about. */
const MIN_CUT = 2;

/**
 * Where integration (a)'s training candidates are computed, as exclusive ends into one user's training input
 * (time-ordered): the whole input first, then up to cuts-1 earlier day boundaries, latest first, none shorter than
 * MIN_CUT. Day boundaries, because every evaluation input ends at one.
 */
export function trainingCutPoints(times: readonly number[], cuts: number): number[] {
  const n = times.length;
  if (n < MIN_CUT || cuts < 1) return [];
  const out = [n];
  for (let i = n - 1; i >= MIN_CUT && out.length < cuts; i--) {
    if (dayOf(times[i]!) > dayOf(times[i - 1]!)) out.push(i);
  }
  return out;
}
