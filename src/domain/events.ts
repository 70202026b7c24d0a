/** The canonical event model every raw format is mapped to. */

export const ACTIONS = ['click', 'fav', 'cart', 'buy'] as const;
export type Action = (typeof ACTIONS)[number];

/** 'day': only the calendar day is known, so same-day events are unordered. */
export type TimeResolution = 'day' | 'second';

export const SECONDS_PER_DAY = 86_400;

export interface CanonicalEvent {
  readonly user: string;
  readonly item: string;
  readonly action: Action;
  /** Unix seconds, UTC. Day-resolution events sit at 00:00 UTC of their day. */
  readonly time: number;
}

export interface ItemAttributes {
  readonly id: string;
  /** Category path, coarse to fine (e.g. ['1', '327'] or ['electronics', 'smartphone']). */
  readonly categories?: readonly string[];
  readonly brand?: string;
  readonly price?: number;
  readonly title?: string;
}

/** Whole UTC days since the epoch: the unit of the split, since day-resolution data orders nothing finer. */
export function dayOf(time: number): number {
  return Math.floor(time / SECONDS_PER_DAY);
}

export function isoDay(day: number): string {
  return new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}

export function dayFromIso(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / 1000 / SECONDS_PER_DAY);
}

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
