/** Axis ticks for the trajectory's x axis, computed with d3 scales; React renders them. Pure. */
import { scaleLinear, scaleUtc, utcFormat } from 'd3';
import { SECONDS_PER_DAY, type TimeResolution } from '../../domain/events';

export type XMode = 'time' | 'sequence';

export interface Tick {
  /** Position on the axis' own unit: Unix seconds in time mode, event index in sequence mode. */
  readonly value: number;
  readonly label: string;
  /** True for a day label centred on its day band (day resolution, zoomed in). */
  readonly centred?: boolean;
}

const dayLabel = utcFormat('%b %d');

/**
 * `domain` is the visible part of the axis (after zoom), `width` its pixel length.
 * Day resolution never shows sub-day ticks: below a day there is nothing to order.
 */
export function axisTicks(mode: XMode, resolution: TimeResolution, domain: readonly [number, number], width: number): Tick[] {
  const [d0, d1] = domain;
  if (!(d1 > d0) || width <= 0) return [];
  const count = Math.max(2, Math.floor(width / 90));
  if (mode === 'sequence') {
    const scale = scaleLinear().domain([d0, d1]);
    return scale
      .ticks(count)
      .filter((t) => Number.isInteger(t) && t >= 0)
      .map((t) => ({ value: t, label: `#${t + 1}` }));
  }
  const days = (d1 - d0) / SECONDS_PER_DAY;
  if (resolution === 'day' && width / days >= 56) {
    const ticks: Tick[] = [];
    const firstDay = Math.floor(d0 / SECONDS_PER_DAY);
    const lastDay = Math.ceil(d1 / SECONDS_PER_DAY);
    for (let day = firstDay; day <= lastDay && ticks.length < 400; day++) {
      const centre = (day + 0.5) * SECONDS_PER_DAY;
      if (centre >= d0 && centre <= d1) {
        ticks.push({ value: centre, label: dayLabel(new Date(day * SECONDS_PER_DAY * 1000)), centred: true });
      }
    }
    return ticks;
  }
  const scale = scaleUtc().domain([new Date(d0 * 1000), new Date(d1 * 1000)]);
  const format = scale.tickFormat(count);
  return scale
    .ticks(count)
    .map((date) => ({ value: date.getTime() / 1000, label: format(date) }))
    .filter((tick) => resolution === 'second' || tick.value % SECONDS_PER_DAY === 0);
}
