import { describe, expect, it } from 'vitest';
import { buildDataset, compareIds } from '../../src/data/dataset';
import { readTaobaoUb } from '../../src/data/taobaoUb';
import type { Action, CanonicalEvent } from '../../src/domain/events';
import { fixture } from './fixtures';

const D = 86_400;
const ev = (user: string, item: string, action: Action, day: number, second = 0): CanonicalEvent => ({ user, item, action, time: day * D + second });

describe('buildDataset', () => {
  it('orders each user by time, stably (file order within the same time), users by numeric id', () => {
    const ds = buildDataset({
      format: 't',
      resolution: 'day',
      items: [],
      events: [ev('10', 'b', 'click', 5), ev('9', 'x', 'click', 1), ev('10', 'a', 'click', 3), ev('10', 'c', 'cart', 5), ev('10', 'd', 'click', 3)],
    });
    expect(ds.users.map((u) => u.id)).toEqual(['9', '10']);
    expect(ds.users[1]?.events.map((e) => e.item)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('computes split, segment on the test input, and seen/new targets', () => {
    const clicks = (user: string, n: number, day: number, item = 'h') => Array.from({ length: n }, (_, i) => ev(user, `${item}${i}`, 'click', day));
    const events = [
      // u1: dormant (12 clicks, no buy before the target day); target {h0 seen, z new}.
      ...clicks('u1', 12, 1),
      ev('u1', 'h0', 'buy', 4),
      ev('u1', 'z', 'buy', 4),
      ev('u1', 'z', 'click', 4),
      // u2: active (10 clicks + 1 buy before target: rate 1/11 >= 0.05); validation day 2, target day 3.
      ...clicks('u2', 10, 1, 'k'),
      ev('u2', 'h1', 'buy', 2),
      ev('u2', 'h2', 'buy', 3),
      // u3: all on one day -> target with empty input: not usable, short.
      ev('u3', 'q', 'click', 7),
      ev('u3', 'q', 'buy', 7),
      // u4: never buys, 10 clicks -> dormant without target.
      ...clicks('u4', 10, 2),
    ];
    const ds = buildDataset({ format: 't', resolution: 'day', items: [{ id: 'h0' }], events });
    const byId = new Map(ds.users.map((u) => [u.id, u]));
    expect(byId.get('u1')?.segment).toBe('dormant');
    expect(byId.get('u1')?.split.target).toEqual({ day: 4, items: ['h0', 'z'] });
    expect(byId.get('u2')?.segment).toBe('active');
    expect(byId.get('u2')?.history).toEqual({ events: 11, nonPurchaseEvents: 10, purchases: 1, purchaseRate: 1 / 11 });
    expect(byId.get('u2')?.split).toMatchObject({ trainEnd: 10, testInputEnd: 11, validation: { day: 2, items: ['h1'] } });
    expect(byId.get('u3')?.segment).toBe('short');
    expect(byId.get('u4')?.segment).toBe('dormant');
    expect(byId.get('u4')?.split.target).toBeUndefined();

    const s = ds.stats;
    expect(s).toMatchObject({
      users: 4,
      items: 1,
      events: 12 + 3 + 12 + 2 + 10,
      eventsByAction: { click: 12 + 1 + 10 + 1 + 10, fav: 0, cart: 0, buy: 2 + 2 + 1 },
      withTarget: 3,
      withValidation: 1,
      usableTargets: 2,
      targetItems: 3,
      seenTargetItems: 1,
      newTargetItems: 2,
      firstDay: '1970-01-02',
      lastDay: '1970-01-08',
    });
    expect(s.segments.dormant).toEqual({ users: 2, withTarget: 1, usableTargets: 1, targetItems: 2, seenTargetItems: 1, newTargetItems: 1 });
    expect(s.segments.active).toEqual({ users: 1, withTarget: 1, usableTargets: 1, targetItems: 1, seenTargetItems: 0, newTargetItems: 1 });
    expect(s.segments.short).toEqual({ users: 1, withTarget: 1, usableTargets: 0, targetItems: 0, seenTargetItems: 0, newTargetItems: 0 });
  });

  it('takes a configurable dormant rule', () => {
    const events = Array.from({ length: 5 }, (_, i) => ev('u', `i${i}`, 'click', 1));
    expect(buildDataset({ format: 't', resolution: 'day', items: [], events }).users[0]?.segment).toBe('short');
    const loose = buildDataset({ format: 't', resolution: 'day', items: [], events }, { minNonPurchaseEvents: 5, maxPurchaseRate: 0.05 });
    expect(loose.users[0]?.segment).toBe('dormant');
    expect(loose.dormantRule).toEqual({ minNonPurchaseEvents: 5, maxPurchaseRate: 0.05 });
  });

  it('assembles the taobao-ub fixture (second resolution: the split still works on days)', async () => {
    const raw = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv') });
    const ds = buildDataset(raw);
    expect(ds.users.map((u) => [u.id, u.segment, u.events.length, u.split.trainEnd, u.split.testInputEnd])).toEqual([
      ['1', 'dormant', 15, 13, 13],
      ['100', 'short', 8, 3, 5],
      ['1000', 'short', 3, 3, 3],
    ]);
    expect(ds.users[0]?.split.target).toEqual({ day: Date.UTC(2017, 11, 1) / 1000 / D, items: ['2268318'] });
    expect(ds.stats).toMatchObject({ users: 3, items: 20, events: 26, usableTargets: 2, seenTargetItems: 1, newTargetItems: 1 });
  });
});

describe('compareIds', () => {
  it('orders numeric ids numerically, before other ids', () => {
    expect(['b', '10', '9', 'a', '010', '2'].sort(compareIds)).toEqual(['2', '9', '010', '10', 'a', 'b']);
  });
});
