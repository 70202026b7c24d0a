/**
 * Baselines on the same split. Popularity counts only events that are some user's test input, so no target day
 * is ever counted; recent-repeat ranks the user's own history, most recent day first, then stronger actions.
 */
import type { Action } from '../../domain/events';
import { dayOf } from '../../domain/events';
import type { EvalCase } from './cases';
import type { RankedList, Recommender } from './recommender';

export function popularityCounts(cases: readonly EvalCase[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of cases) for (const e of c.input) counts.set(e.item, (counts.get(e.item) ?? 0) + 1);
  return counts;
}

export function popularityRanking(counts: ReadonlyMap<string, number>): RankedList {
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { items: ranked.map(([item]) => item), scores: ranked.map(([, n]) => n) };
}

export function popularityRecommender(counts: ReadonlyMap<string, number>): Recommender {
  const ranking = popularityRanking(counts);
  return {
    name: 'popularity',
    description: 'Most interacted items over all users\' test inputs (no target day counted)',
    async recommend(cases, listLength) {
      const list = { items: ranking.items.slice(0, listLength), scores: ranking.scores.slice(0, listLength) };
      return cases.map(() => list);
    },
  };
}

const ACTION_STRENGTH: Readonly<Record<Action, number>> = { cart: 3, fav: 2, buy: 1, click: 0 };

/** History items by last day seen, then strongest action, then count; padded with popularity. */
export function recentRepeatList(input: EvalCase['input'], popular: RankedList, listLength: number): RankedList {
  const stats = new Map<string, { day: number; strength: number; count: number }>();
  for (const e of input) {
    const s = stats.get(e.item) ?? { day: -Infinity, strength: -1, count: 0 };
    s.day = Math.max(s.day, dayOf(e.time));
    s.strength = Math.max(s.strength, ACTION_STRENGTH[e.action]);
    s.count += 1;
    stats.set(e.item, s);
  }
  const own = [...stats]
    .sort(([ia, a], [ib, b]) => b.day - a.day || b.strength - a.strength || b.count - a.count || (ia < ib ? -1 : 1))
    .map(([item]) => item);
  const items = [...own];
  for (const item of popular.items) {
    if (items.length >= listLength) break;
    if (!stats.has(item)) items.push(item);
  }
  const kept = items.slice(0, listLength);
  return { items: kept, scores: kept.map((_, i) => listLength - i) };
}

export function recentRepeatRecommender(counts: ReadonlyMap<string, number>): Recommender {
  const popular = popularityRanking(counts);
  return {
    name: 'recent-repeat',
    description: 'The user\'s own items, most recent day first, then cart > fav > buy > click, then count; popularity after',
    async recommend(cases, listLength) {
      return cases.map((c) => recentRepeatList(c.input, popular, listLength));
    },
  };
}
