import { describe, expect, it } from 'vitest';
import { pageWindows, type TimeWindow, type WindowPlan } from '../../src/http/time-windows.js';

/** Partition bounds at 0, 10, 20, ..., 60: six partitions. */
const EDGES = [0, 10, 20, 30, 40, 50, 60];

/** Whether the windows are disjoint, in reading order, and cover every instant on the reading side of `start`. */
function coversInOrder(windows: readonly TimeWindow[], plan: WindowPlan): boolean {
  const instants = Array.from({ length: 90 }, (_, index) => index - 15);
  const owners = (instant: number): number[] =>
    windows.flatMap((window, index) =>
      (window.from === null || instant >= window.from) && (window.to === null || instant < window.to) ? [index] : [],
    );
  const reading =
    plan.direction === 'DESC'
      ? instants.filter((instant) => plan.start === null || instant <= plan.start)
      : instants.filter((instant) => plan.start === null || instant >= plan.start);
  const sorted = plan.direction === 'DESC' ? [...reading].reverse() : reading;
  let last = 0;
  for (const instant of sorted) {
    const [owner, ...more] = owners(instant);
    if (owner === undefined || more.length > 0 || owner < last) return false;
    last = owner;
  }
  return true;
}

describe('pageWindows', () => {
  it.each<[string, WindowPlan, TimeWindow[]]>([
    [
      'older pages: the start partition (open above), the next one, the two before it, the rest',
      { direction: 'DESC', start: 55, stop: null },
      [
        { from: 50, to: null },
        { from: 40, to: 50 },
        { from: 20, to: 40 },
        { from: null, to: 20 },
      ],
    ],
    [
      'a start on a bound opens at that bound',
      { direction: 'DESC', start: 30, stop: null },
      [
        { from: 30, to: null },
        { from: 20, to: 30 },
        { from: 0, to: 20 },
        { from: null, to: 0 },
      ],
    ],
    [
      'near the oldest partition',
      { direction: 'DESC', start: 5, stop: null },
      [
        { from: 0, to: null },
        { from: null, to: 0 },
      ],
    ],
    [
      'before every partition (the DEFAULT partition only): one unbounded window',
      { direction: 'DESC', start: -5, stop: null },
      [{ from: null, to: null }],
    ],
    [
      'past every partition',
      { direction: 'DESC', start: 99, stop: null },
      [
        { from: 60, to: null },
        { from: 50, to: 60 },
        { from: 30, to: 50 },
        { from: null, to: 30 },
      ],
    ],
    [
      'a since filter ends the windows at its partition',
      { direction: 'DESC', start: 55, stop: 42 },
      [
        { from: 50, to: null },
        { from: 40, to: 50 },
      ],
    ],
    [
      'newer pages: the start partition (open below), the next one, the two after it, the rest',
      { direction: 'ASC', start: 5, stop: null },
      [
        { from: null, to: 10 },
        { from: 10, to: 20 },
        { from: 20, to: 40 },
        { from: 40, to: null },
      ],
    ],
    [
      'the oldest page starts below every partition',
      { direction: 'ASC', start: null, stop: null },
      [
        { from: null, to: 0 },
        { from: 0, to: 10 },
        { from: 10, to: 30 },
        { from: 30, to: null },
      ],
    ],
    [
      'a start on a bound reads from that bound',
      { direction: 'ASC', start: 10, stop: null },
      [
        { from: null, to: 20 },
        { from: 20, to: 30 },
        { from: 30, to: 50 },
        { from: 50, to: null },
      ],
    ],
    [
      'an until filter ends the windows at its partition',
      { direction: 'ASC', start: 5, stop: 15 },
      [
        { from: null, to: 10 },
        { from: 10, to: 20 },
      ],
    ],
    ['past every partition: one unbounded window', { direction: 'ASC', start: 60, stop: null }, [{ from: null, to: null }]],
  ])('%s', (_, plan, expected) => {
    const windows = pageWindows(EDGES, plan);
    expect(windows).toEqual(expected);
    if (plan.stop === null) expect(coversInOrder(windows, plan)).toBe(true);
  });

  it('without partitions reads everything in one window', () => {
    expect(pageWindows([], { direction: 'DESC', start: 5, stop: null })).toEqual([{ from: null, to: null }]);
    expect(pageWindows([], { direction: 'ASC', start: null, stop: 3 })).toEqual([{ from: null, to: null }]);
  });
});
