import { describe, expect, it } from 'vitest';
import type { Action, CanonicalEvent } from '../../src/domain/events';
import { splitUser } from '../../src/domain/split';

const D = 86_400;
const ev = (item: string, action: Action, day: number, second = 0): CanonicalEvent => ({ user: 'u', item, action, time: day * D + second });

describe('splitUser', () => {
  it('targets the last purchase day and validates on the previous one', () => {
    const events = [
      ev('a', 'click', 1),
      ev('a', 'buy', 2),
      ev('b', 'click', 3),
      ev('c', 'cart', 5),
      ev('c', 'buy', 5),
      ev('d', 'buy', 5),
      ev('c', 'buy', 5, 10),
      ev('e', 'click', 6),
    ];
    const split = splitUser(events);
    expect(split.target).toEqual({ day: 5, items: ['c', 'd'] });
    expect(split.validation).toEqual({ day: 2, items: ['a'] });
    expect(split.testInputEnd).toBe(3);
    expect(split.validationInputEnd).toBe(1);
    expect(split.trainEnd).toBe(1);
  });

  it('never makes a same-day event an input of its own day, even when it comes first in the file', () => {
    // At day resolution the click and cart on day 4 may well have preceded the buy: still not inputs.
    const events = [ev('x', 'click', 3), ev('a', 'click', 4), ev('a', 'cart', 4), ev('a', 'buy', 4)];
    const split = splitUser(events);
    expect(split.testInputEnd).toBe(1);
    expect(events.slice(0, split.testInputEnd).every((e) => e.time < 4 * D)).toBe(true);
  });

  it('works on days at second resolution too: an earlier hour of the target day is not an input', () => {
    const events = [ev('x', 'click', 3, 100), ev('a', 'click', 4, 10), ev('a', 'buy', 4, 3_600)];
    expect(splitUser(events).testInputEnd).toBe(1);
  });

  it('gives a user without purchases no target and every event as input and training', () => {
    const events = [ev('a', 'click', 1), ev('b', 'cart', 2)];
    expect(splitUser(events)).toEqual({ testInputEnd: 2, validationInputEnd: 2, trainEnd: 2 });
  });

  it('trains before the target day when there is a single purchase day', () => {
    const split = splitUser([ev('a', 'click', 1), ev('a', 'click', 2), ev('a', 'buy', 2), ev('z', 'click', 3)]);
    expect(split.target).toEqual({ day: 2, items: ['a'] });
    expect(split.validation).toBeUndefined();
    expect(split).toMatchObject({ testInputEnd: 1, validationInputEnd: 1, trainEnd: 1 });
  });

  it('leaves an empty input when everything happens on the target day', () => {
    const split = splitUser([ev('a', 'click', 7), ev('a', 'buy', 7)]);
    expect(split.testInputEnd).toBe(0);
    expect(split.target?.items).toEqual(['a']);
  });
});
