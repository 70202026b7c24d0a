/**
 * The time split of DESIGN.md, per user, at day resolution:
 * target = purchases on the last day with a purchase; validation = purchases on the previous purchase day.
 * Nothing of a target (or validation) day is ever an input: inputs end strictly before that day.
 */
import { dayOf, type CanonicalEvent } from './events';

export interface PurchaseDay {
  readonly day: number;
  /** Distinct items bought that day, in first-seen order. */
  readonly items: readonly string[];
}

export interface UserSplit {
  readonly target?: PurchaseDay;
  readonly validation?: PurchaseDay;
  /** Events usable as test input: every event before the target day (all events when there is no target). */
  readonly testInputEnd: number;
  /** Events usable as validation input: every event before the validation day. */
  readonly validationInputEnd: number;
  /** Events training may see: before the validation day, else before the target day, else all. */
  readonly trainEnd: number;
}

/**
 * Events must be time-ordered (stable). Returned ends are exclusive indices into that array,
 * so `events.slice(0, split.testInputEnd)` is the test input.
 */
export function splitUser(events: readonly CanonicalEvent[]): UserSplit {
  const purchaseDays = distinctPurchaseDays(events);
  const targetDay = purchaseDays.at(-1);
  const validationDay = purchaseDays.at(-2);
  const target = targetDay === undefined ? undefined : purchaseDay(events, targetDay);
  const validation = validationDay === undefined ? undefined : purchaseDay(events, validationDay);
  const testInputEnd = target ? firstIndexOnOrAfter(events, target.day) : events.length;
  const validationInputEnd = validation ? firstIndexOnOrAfter(events, validation.day) : testInputEnd;
  return { target, validation, testInputEnd, validationInputEnd, trainEnd: validationInputEnd };
}

function distinctPurchaseDays(events: readonly CanonicalEvent[]): number[] {
  const days = new Set<number>();
  for (const e of events) if (e.action === 'buy') days.add(dayOf(e.time));
  return [...days].sort((a, b) => a - b);
}

function purchaseDay(events: readonly CanonicalEvent[], day: number): PurchaseDay {
  const items: string[] = [];
  for (const e of events) {
    if (e.action === 'buy' && dayOf(e.time) === day && !items.includes(e.item)) items.push(e.item);
  }
  return { day, items };
}

function firstIndexOnOrAfter(events: readonly CanonicalEvent[], day: number): number {
  const index = events.findIndex((e) => dayOf(e.time) >= day);
  return index === -1 ? events.length : index;
}
