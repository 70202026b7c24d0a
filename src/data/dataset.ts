/**
 * Assembles reader output into the evaluation dataset: per-user ordered events, the time split, the dormant segment,
 * and the stats a user needs to judge the data. Pure: no IO.
 */
import { ACTIONS, type Action, type CanonicalEvent, type ItemAttributes, type TimeResolution } from '../domain/events';
import { DEFAULT_DORMANT_RULE, SEGMENTS, historyStats, segmentOf, type DormantRule, type HistoryStats, type Segment } from '../domain/segment';
import { splitUser, type UserSplit } from '../domain/split';

export const SPLIT_DESCRIPTION =
  "Per user: target = distinct items bought on the user's last purchase day; validation = the previous purchase day. " +
  'Test input = every event before the target day; training = events before the validation day (before the target day ' +
  'when there is none; all events for users who never buy). Nothing of a target or validation day is an input of that ' +
  'day, since same-day events are unordered at day resolution.';

export interface DatasetUser {
  readonly id: string;
  /** Stable time order: file order within the same time (meaningless within a day at day resolution). */
  readonly events: readonly CanonicalEvent[];
  readonly split: UserSplit;
  /** Over the test input (events before the target day; all events without a target), as the dormant rule sees it. */
  readonly history: HistoryStats;
  readonly segment: Segment;
}

export interface SegmentStats {
  readonly users: number;
  readonly withTarget: number;
  /** Targets whose test input is not empty: the users an evaluation can score. */
  readonly usableTargets: number;
  /** Distinct (user, item) target pairs over usable targets. */
  readonly targetItems: number;
  /** Target items the user already interacted with (any action) in the test input. */
  readonly seenTargetItems: number;
  readonly newTargetItems: number;
}

export interface DatasetStats extends SegmentStats {
  readonly items: number;
  readonly events: number;
  readonly eventsByAction: Readonly<Record<Action, number>>;
  readonly withValidation: number;
  readonly segments: Readonly<Record<Segment, SegmentStats>>;
  /** ISO days of the first and last event; null for an empty dataset. */
  readonly firstDay: string | null;
  readonly lastDay: string | null;
}

export interface Dataset {
  readonly format: string;
  readonly resolution: TimeResolution;
  readonly dormantRule: DormantRule;
  readonly items: readonly ItemAttributes[];
  /** Ordered by id (numeric ids numerically), so outputs are reproducible whatever the file order. */
  readonly users: readonly DatasetUser[];
  readonly stats: DatasetStats;
}

export interface DatasetInput {
  readonly format: string;
  readonly resolution: TimeResolution;
  readonly events: readonly CanonicalEvent[];
  readonly items: readonly ItemAttributes[];
}

export function buildDataset(input: DatasetInput, dormantRule: DormantRule = DEFAULT_DORMANT_RULE): Dataset {
  const byUser = new Map<string, CanonicalEvent[]>();
  for (const event of input.events) {
    const list = byUser.get(event.user);
    if (list) list.push(event);
    else byUser.set(event.user, [event]);
  }
  const users = [...byUser.keys()]
    .sort(compareIds)
    .map((id) => assembleUser(id, byUser.get(id) ?? [], dormantRule));
  return {
    format: input.format,
    resolution: input.resolution,
    dormantRule,
    items: input.items,
    users,
    stats: datasetStats(users, input.items.length),
  };
}

/** One user's record from their events in any order (sorted here, stably). */
export function assembleUser(id: string, events: readonly CanonicalEvent[], rule: DormantRule): DatasetUser {
  const ordered = [...events].sort((a, b) => a.time - b.time);
  const split = splitUser(ordered);
  const history = historyStats(ordered.slice(0, split.testInputEnd));
  return { id, events: ordered, split, history, segment: segmentOf(history, rule) };
}

export function datasetStats(users: readonly DatasetUser[], items: number): DatasetStats {
  const eventsByAction = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  const segments = Object.fromEntries(SEGMENTS.map((s) => [s, emptySegment()])) as Record<Segment, MutableSegment>;
  const all = emptySegment();
  let events = 0;
  let withValidation = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const user of users) {
    events += user.events.length;
    for (const e of user.events) eventsByAction[e.action]++;
    const head = user.events[0];
    const tail = user.events.at(-1);
    if (head) first = Math.min(first, head.time);
    if (tail) last = Math.max(last, tail.time);
    if (user.split.validation) withValidation++;
    for (const s of [all, segments[user.segment]]) addUser(s, user);
  }
  return {
    ...all,
    items,
    events,
    eventsByAction,
    withValidation,
    segments,
    firstDay: Number.isFinite(first) ? new Date(first * 1000).toISOString().slice(0, 10) : null,
    lastDay: Number.isFinite(last) ? new Date(last * 1000).toISOString().slice(0, 10) : null,
  };
}

type MutableSegment = { -readonly [K in keyof SegmentStats]: SegmentStats[K] };

function emptySegment(): MutableSegment {
  return { users: 0, withTarget: 0, usableTargets: 0, targetItems: 0, seenTargetItems: 0, newTargetItems: 0 };
}

function addUser(stats: MutableSegment, user: DatasetUser): void {
  stats.users++;
  const target = user.split.target;
  if (!target) return;
  stats.withTarget++;
  if (user.split.testInputEnd === 0) return;
  stats.usableTargets++;
  const seen = new Set(user.events.slice(0, user.split.testInputEnd).map((e) => e.item));
  for (const item of target.items) {
    stats.targetItems++;
    if (seen.has(item)) stats.seenTargetItems++;
    else stats.newTargetItems++;
  }
}

/** Numeric ids numerically (so "9" < "10"), others lexicographically after them. */
export function compareIds(a: string, b: string): number {
  const na = isDigits(a);
  const nb = isDigits(b);
  if (na && nb) {
    const x = a.length - leadingZeros(a);
    const y = b.length - leadingZeros(b);
    if (x !== y) return x - y;
    const sa = a.slice(a.length - x);
    const sb = b.slice(b.length - y);
    if (sa !== sb) return sa < sb ? -1 : 1;
  } else if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Leading zeros, keeping the last digit ("000" has 2), so "0" and "00" compare by their full text. */
function leadingZeros(s: string): number {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return i;
}
