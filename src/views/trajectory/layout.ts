/**
 * Trajectory view model: one snapshot user -> lanes, nodes, day groups, marks and counterfactual branches.
 * Pure (no DOM, no d3): the component maps the x values through a d3 scale; tests run this directly.
 *
 * x is carried twice per node: `xTime` (Unix seconds; at day resolution same-day events are spread side by
 * side inside their day in file order, since their true order is unknown) and `xSeq` (the event index).
 */
import { dayFromIso, dayOf, isoDay, SECONDS_PER_DAY, type Action, type TimeResolution } from '../../domain/events';
import type { EventRole, Reasoning, RoleDefinitionRecord, Snapshot, SnapshotItem, SnapshotUser } from '../../domain/snapshot';

export type IntentCluster = Snapshot['intents'][number];
export type RoleDef = Pick<RoleDefinitionRecord, 'id' | 'label' | 'color'> & { readonly description?: string };

export const ACTION_COLORS: Readonly<Record<Action, string>> = {
  click: '#4c78a8',
  fav: '#c98a00',
  cart: '#2a9d8f',
  buy: '#c2185b',
};

export const ACTION_LABELS: Readonly<Record<Action, string>> = {
  click: 'click',
  fav: 'favourite',
  cart: 'add to cart',
  buy: 'buy',
};

/** Fill of an event the reasoner gave no role (e.g. target-day events, hidden from its input). */
export const NO_ROLE_COLOR = '#b8bec7';

export const DEFAULT_MAX_LANES = 20;

export type LaneKind = 'intent' | 'category' | 'single' | 'unknown' | 'other';
export type LaneBasis = 'intent' | 'category' | 'single';

export interface TrajectoryLane {
  readonly index: number;
  readonly key: string;
  readonly label: string;
  readonly kind: LaneKind;
  /** Events in the lane. */
  readonly count: number;
  /** For the 'other' lane: how many intents/categories it groups. */
  readonly grouped?: number;
}

export type EventPeriod = 'history' | 'validation' | 'target' | 'after-target';

export interface TrajectoryNode {
  /** Index into user.events. */
  readonly index: number;
  readonly item: string;
  readonly action: Action;
  readonly time: number;
  /** Whole UTC day (days since the epoch). */
  readonly day: number;
  readonly lane: number;
  /** Position among the events of the same day, in file order (0 at second resolution). */
  readonly slot: number;
  /** Events on the same day (1 at second resolution). */
  readonly slotCount: number;
  readonly xTime: number;
  readonly xSeq: number;
  readonly period: EventPeriod;
  readonly roleId: string | null;
  readonly roleLabel: string | null;
  readonly roleColor: string | null;
  readonly confidence: number | null;
  readonly evidence: EventRole['evidence'] | null;
  /** Fill colour: the role's when reasoning has roles, else the action's. */
  readonly color: string;
}

export interface DayGroup {
  readonly day: number;
  readonly iso: string;
  /** Unix seconds of the day's start and end. */
  readonly start: number;
  readonly end: number;
  /** First and last event index on that day. */
  readonly first: number;
  readonly last: number;
  readonly count: number;
}

export interface DayMark {
  readonly kind: 'target' | 'validation';
  readonly day: number;
  readonly iso: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  /** Range on the sequence axis; zero width (at the insertion point) when no event falls on that day. */
  readonly seqStart: number;
  readonly seqEnd: number;
  readonly items: readonly string[];
}

export interface PathStep {
  readonly step: number;
  readonly item: string;
  readonly action: Action;
  readonly xTime: number;
  readonly xSeq: number;
  readonly color: string;
}

export interface TrajectoryPath {
  readonly index: number;
  readonly kind: 'insert' | 'remove' | 'replace' | 'none';
  readonly at: number;
  readonly item: string | null;
  readonly pConv: number;
  readonly convertedItem: string | null;
  readonly description: string;
  /** Node the branch leaves from; null when the intervention is before the first event. */
  readonly originIndex: number | null;
  readonly steps: readonly PathStep[];
}

export interface LegendEntry {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly description?: string;
}

export interface TrajectoryModel {
  readonly userId: string;
  readonly resolution: TimeResolution;
  readonly laneBasis: LaneBasis;
  readonly lanes: readonly TrajectoryLane[];
  readonly nodes: readonly TrajectoryNode[];
  readonly dayGroups: readonly DayGroup[];
  /** Pairs of event indices joined by a line: consecutive events whose order is known (never same-day ones at day resolution). */
  readonly links: readonly (readonly [number, number])[];
  readonly marks: readonly DayMark[];
  readonly paths: readonly TrajectoryPath[];
  /** Index of the first event on or after the target day (events.length without a target): the input ends there. */
  readonly inputEnd: number;
  readonly colorBy: 'role' | 'action';
  readonly legend: readonly LegendEntry[];
  readonly timeDomain: readonly [number, number];
  readonly seqDomain: readonly [number, number];
}

export interface TrajectoryInput {
  readonly user: SnapshotUser;
  readonly itemsById: ReadonlyMap<string, SnapshotItem>;
  readonly reasoning?: Reasoning | null | undefined;
  readonly roleTaxonomy: readonly RoleDef[];
  readonly intents: readonly IntentCluster[];
  readonly resolution: TimeResolution;
  readonly maxLanes?: number;
}

/** "cat 327" for numeric category ids, the readable code (e.g. "appliances.kitchen.kettle") otherwise. */
export function categoryLabel(code: string): string {
  return /^\d+$/.test(code) ? `cat ${code}` : code;
}

export function intentLabel(id: number, intents: readonly IntentCluster[]): string {
  return intents.find((cluster) => cluster.id === id)?.label ?? `intent ${id}`;
}

/** Event numbers shown to people are 1-based; data-index attributes stay 0-based. */
export function eventNumber(index: number): string {
  return `#${index + 1}`;
}

interface LaneAssignment {
  readonly key: string;
  readonly label: string;
  readonly kind: LaneKind;
}

function laneBasisOf(user: SnapshotUser, itemsById: ReadonlyMap<string, SnapshotItem>): LaneBasis {
  let hasCategory = false;
  for (const event of user.events) {
    const item = itemsById.get(event.item);
    if (item?.intent !== undefined) return 'intent';
    if (item?.categories && item.categories.length > 0) hasCategory = true;
  }
  return hasCategory ? 'category' : 'single';
}

function laneOf(item: SnapshotItem | undefined, basis: LaneBasis, intents: readonly IntentCluster[]): LaneAssignment {
  if (basis === 'intent') {
    if (item?.intent === undefined) return { key: 'intent:?', label: 'no intent', kind: 'unknown' };
    return { key: `intent:${item.intent}`, label: intentLabel(item.intent, intents), kind: 'intent' };
  }
  if (basis === 'category') {
    const finest = item?.categories?.at(-1);
    if (finest === undefined) return { key: 'cat:?', label: 'no category', kind: 'unknown' };
    return { key: `cat:${finest}`, label: categoryLabel(finest), kind: 'category' };
  }
  return { key: 'all', label: 'all events', kind: 'single' };
}

export function buildTrajectory(input: TrajectoryInput): TrajectoryModel {
  const { user, itemsById, roleTaxonomy, intents, resolution } = input;
  const maxLanes = Math.max(2, input.maxLanes ?? DEFAULT_MAX_LANES);
  const events = user.events;
  const basis = laneBasisOf(user, itemsById);

  // Lanes in order of first appearance; over the cap, the most used keep a lane and the rest share "other".
  const assignments = events.map((event) => laneOf(itemsById.get(event.item), basis, intents));
  const firstSeen = new Map<string, { lane: LaneAssignment; first: number; count: number }>();
  assignments.forEach((lane, i) => {
    const seen = firstSeen.get(lane.key);
    if (seen) seen.count += 1;
    else firstSeen.set(lane.key, { lane, first: i, count: 1 });
  });
  let distinct = [...firstSeen.values()];
  let other: { count: number; grouped: number } | null = null;
  if (distinct.length > maxLanes) {
    const keep = new Set(
      [...distinct]
        .sort((a, b) => b.count - a.count || a.first - b.first)
        .slice(0, maxLanes - 1)
        .map((entry) => entry.lane.key),
    );
    const rest = distinct.filter((entry) => !keep.has(entry.lane.key));
    other = { count: rest.reduce((sum, entry) => sum + entry.count, 0), grouped: rest.length };
    distinct = distinct.filter((entry) => keep.has(entry.lane.key));
  }
  distinct.sort((a, b) => a.first - b.first);
  const lanes: TrajectoryLane[] = distinct.map((entry, index) => ({
    index,
    key: entry.lane.key,
    label: entry.lane.label,
    kind: entry.lane.kind,
    count: entry.count,
  }));
  if (other) {
    const noun = basis === 'intent' ? 'intents' : 'categories';
    lanes.push({
      index: lanes.length,
      key: 'other',
      label: `other (${other.grouped} ${noun})`,
      kind: 'other',
      count: other.count,
      grouped: other.grouped,
    });
  }
  if (lanes.length === 0) lanes.push({ index: 0, key: 'all', label: 'all events', kind: 'single', count: 0 });
  const laneIndexByKey = new Map(lanes.map((lane) => [lane.key, lane.index]));
  const otherLane = laneIndexByKey.get('other') ?? 0;

  // Days and within-day slots (file order). Robust to events that are not time-ordered.
  const groupByDay = new Map<number, DayGroup>();
  const slots: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const day = dayOf(events[i]!.time);
    const current = groupByDay.get(day);
    if (current) {
      slots.push(current.count);
      groupByDay.set(day, { ...current, last: i, count: current.count + 1 });
    } else {
      slots.push(0);
      const start = day * SECONDS_PER_DAY;
      groupByDay.set(day, { day, iso: isoDay(day), start, end: start + SECONDS_PER_DAY, first: i, last: i, count: 1 });
    }
  }
  const dayGroups = [...groupByDay.values()].sort((a, b) => a.day - b.day);
  const dayCount = new Map(dayGroups.map((group) => [group.day, group.count]));

  const targetDay = user.target ? dayFromIso(user.target.day) : null;
  const validationDay = user.validation ? dayFromIso(user.validation.day) : null;

  // Roles: reasoning.roles[i] belongs to user.events[i]; events beyond it (e.g. the hidden target day) have none.
  const roles = input.reasoning?.roles ?? [];
  const colorBy: 'role' | 'action' = roles.length > 0 ? 'role' : 'action';
  const roleById = new Map(roleTaxonomy.map((role) => [role.id, role]));

  const nodes: TrajectoryNode[] = events.map((event, index) => {
    const day = dayOf(event.time);
    const slot = slots[index] ?? 0;
    const slotCount = resolution === 'day' ? dayCount.get(day) ?? 1 : 1;
    const xTime = resolution === 'day' ? day * SECONDS_PER_DAY + ((slot + 0.5) / slotCount) * SECONDS_PER_DAY : event.time;
    const lane = laneIndexByKey.get(assignments[index]!.key) ?? otherLane;
    const role = roles[index];
    const roleDef = role ? roleById.get(role.role) : undefined;
    const period: EventPeriod =
      targetDay !== null && day === targetDay
        ? 'target'
        : targetDay !== null && day > targetDay
          ? 'after-target'
          : validationDay !== null && day === validationDay
            ? 'validation'
            : 'history';
    const roleColor = role ? roleDef?.color ?? NO_ROLE_COLOR : null;
    return {
      index,
      item: event.item,
      action: event.action,
      time: event.time,
      day,
      lane,
      slot: resolution === 'day' ? slot : 0,
      slotCount,
      xTime,
      xSeq: index,
      period,
      roleId: role?.role ?? null,
      roleLabel: role ? roleDef?.label ?? role.role : null,
      roleColor,
      confidence: role?.confidence ?? null,
      evidence: role?.evidence ?? null,
      color: colorBy === 'role' ? roleColor ?? NO_ROLE_COLOR : ACTION_COLORS[event.action],
    };
  });

  const links: (readonly [number, number])[] = [];
  if (resolution === 'second') for (let i = 1; i < events.length; i++) links.push([i - 1, i]);

  const inputEnd = targetDay === null ? events.length : firstIndexOnOrAfterDay(events, targetDay);

  const marks: DayMark[] = [];
  if (user.validation && validationDay !== null) {
    marks.push(dayMark('validation', validationDay, user.validation.items, dayGroups, events, 'validation day'));
  }
  if (user.target && targetDay !== null) {
    marks.push(dayMark('target', targetDay, user.target.items, dayGroups, events, 'target day (hidden from input)'));
  }

  // Domains before the counterfactual future is added.
  let timeStart: number;
  let timeEnd: number;
  if (events.length === 0) {
    const anchor = marks[0]?.start ?? 0;
    timeStart = anchor;
    timeEnd = anchor + SECONDS_PER_DAY;
  } else if (resolution === 'day') {
    timeStart = dayGroups[0]!.start;
    timeEnd = dayGroups.at(-1)!.end;
  } else {
    let first = Infinity;
    let last = -Infinity;
    for (const event of events) {
      first = Math.min(first, event.time);
      last = Math.max(last, event.time);
    }
    const pad = Math.max(30, (last - first) * 0.02);
    timeStart = first - pad;
    timeEnd = last + pad;
  }
  if (resolution === 'day') {
    for (const mark of marks) {
      timeStart = Math.min(timeStart, mark.start);
      timeEnd = Math.max(timeEnd, mark.end);
    }
  }
  let seqEnd = Math.max(events.length - 0.5, 0.5);

  const paths: TrajectoryPath[] = [];
  const rawPaths = input.reasoning?.paths ?? [];
  if (rawPaths.length > 0) {
    const horizon = Math.max(1, ...rawPaths.flatMap((path) => path.events.map((e) => e.step)));
    let futureStart: number;
    let futureSpan: number;
    if (resolution === 'day') {
      futureStart = targetDay !== null ? targetDay * SECONDS_PER_DAY : timeEnd;
      futureSpan = SECONDS_PER_DAY;
    } else {
      const inputLast = inputEnd > 0 ? events[inputEnd - 1]!.time : timeStart;
      futureSpan = Math.max(60, (timeEnd - timeStart) * 0.15);
      futureStart = targetDay !== null && inputEnd < events.length ? events[inputEnd]!.time : inputLast + futureSpan * 0.1;
    }
    timeEnd = Math.max(timeEnd, futureStart + futureSpan);
    seqEnd = Math.max(seqEnd, inputEnd + horizon - 0.5);
    rawPaths.forEach((path, index) => {
      const { kind, at } = path.intervention;
      const item = path.intervention.item ?? null;
      paths.push({
        index,
        kind,
        at,
        item,
        pConv: path.pConv,
        convertedItem: path.convertedItem ?? null,
        description: describeIntervention(kind, at, item, events.length, inputEnd),
        originIndex: originOf(kind, at, inputEnd, events.length),
        steps: path.events.map((e) => ({
          step: e.step,
          item: e.item,
          action: e.action,
          xTime: futureStart + ((e.step - 0.5) / horizon) * futureSpan,
          xSeq: inputEnd + e.step - 1,
          color: ACTION_COLORS[e.action],
        })),
      });
    });
  }

  const legend: LegendEntry[] =
    colorBy === 'role'
      ? roleTaxonomy.map((role) => ({
          key: role.id,
          label: role.label,
          color: role.color,
          ...(role.description ? { description: role.description } : {}),
        }))
      : (Object.keys(ACTION_COLORS) as Action[]).map((action) => ({
          key: action,
          label: ACTION_LABELS[action],
          color: ACTION_COLORS[action],
        }));
  if (colorBy === 'role' && nodes.some((node) => node.roleId === null)) {
    legend.push({ key: 'no-role', label: 'no role', color: NO_ROLE_COLOR, description: 'No role assigned (outside the reasoner input).' });
  }

  return {
    userId: user.id,
    resolution,
    laneBasis: basis,
    lanes,
    nodes,
    dayGroups,
    links,
    marks,
    paths,
    inputEnd,
    colorBy,
    legend,
    timeDomain: [timeStart, timeEnd],
    seqDomain: [-0.5, seqEnd],
  };
}

function firstIndexOnOrAfterDay(events: SnapshotUser['events'], day: number): number {
  const index = events.findIndex((event) => dayOf(event.time) >= day);
  return index === -1 ? events.length : index;
}

function dayMark(
  kind: DayMark['kind'],
  day: number,
  items: readonly string[],
  dayGroups: readonly DayGroup[],
  events: SnapshotUser['events'],
  label: string,
): DayMark {
  const start = day * SECONDS_PER_DAY;
  const group = dayGroups.find((g) => g.day === day);
  const insertion = firstIndexOnOrAfterDay(events, day) - 0.5;
  return {
    kind,
    day,
    iso: isoDay(day),
    label,
    start,
    end: start + SECONDS_PER_DAY,
    seqStart: group ? group.first - 0.5 : insertion,
    seqEnd: group ? group.last + 0.5 : insertion,
    items,
  };
}

function originOf(kind: TrajectoryPath['kind'], at: number, inputEnd: number, eventCount: number): number | null {
  if (kind === 'none') return inputEnd > 0 ? Math.min(inputEnd, eventCount) - 1 : null;
  if (at < 0 || at >= eventCount) return null;
  return at;
}

function describeIntervention(
  kind: TrajectoryPath['kind'],
  at: number,
  item: string | null,
  eventCount: number,
  inputEnd: number,
): string {
  const where = at < 0 ? 'at the start' : at >= eventCount ? `after event ${eventNumber(at)}` : `event ${eventNumber(at)}`;
  switch (kind) {
    case 'insert':
      return at < 0 ? `insert item ${item ?? '?'} at the start` : `insert item ${item ?? '?'} after event ${eventNumber(at)}`;
    case 'remove':
      return `remove ${where}`;
    case 'replace':
      return `replace ${where} with item ${item ?? '?'}`;
    case 'none':
      return inputEnd > 0 ? `no intervention (rollout after event ${eventNumber(inputEnd - 1)})` : 'no intervention';
  }
}
