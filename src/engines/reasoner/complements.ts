/**
 * Intent clusters that co-convert: positive pointwise mutual information between clusters bought by the same user
 * on the same day, counted over the given histories only (test inputs never include a target day).
 */
import { dayOf } from '../../domain/events';
import type { SequenceEvent } from '../backbone/encoding';

/** Pairs seen together fewer times than this are noise in small data, whatever their PMI. */
export const MIN_CO_PURCHASES = 3;

export function complementIntents(histories: readonly (readonly SequenceEvent[])[], intentOf: (item: string) => number | undefined): Map<number, Set<number>> {
  const single = new Map<number, number>();
  const pairs = new Map<string, number>();
  let baskets = 0;
  for (const history of histories) {
    const byDay = new Map<number, Set<number>>();
    for (const e of history) {
      if (e.action !== 'buy') continue;
      const intent = intentOf(e.item);
      if (intent === undefined) continue;
      const day = dayOf(e.time);
      byDay.set(day, (byDay.get(day) ?? new Set()).add(intent));
    }
    for (const basket of byDay.values()) {
      baskets++;
      const list = [...basket].sort((a, b) => a - b);
      for (const a of list) single.set(a, (single.get(a) ?? 0) + 1);
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) pairs.set(`${list[i]},${list[j]}`, (pairs.get(`${list[i]},${list[j]}`) ?? 0) + 1);
    }
  }
  const result = new Map<number, Set<number>>();
  for (const [key, together] of pairs) {
    const [a, b] = key.split(',').map(Number) as [number, number];
    const pmi = Math.log((together * baskets) / (single.get(a)! * single.get(b)!));
    if (pmi <= 0 || together < MIN_CO_PURCHASES) continue;
    result.set(a, (result.get(a) ?? new Set()).add(b));
    result.set(b, (result.get(b) ?? new Set()).add(a));
  }
  return result;
}
