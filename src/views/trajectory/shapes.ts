/** Node shapes by action (click circle, favourite diamond, cart square, buy triangle), as SVG path data from d3-shape. */
import { symbol, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle, type SymbolType } from 'd3';
import type { Action } from '../../domain/events';

const SYMBOLS: Readonly<Record<Action, SymbolType>> = {
  click: symbolCircle,
  fav: symbolDiamond,
  cart: symbolSquare,
  buy: symbolTriangle,
};

/** Area factors so that shapes of the same nominal radius look equally heavy. */
const AREA: Readonly<Record<Action, number>> = { click: 1, fav: 1.05, cart: 0.9, buy: 1.35 };

const cache = new Map<string, string>();

/** Path data centred on (0, 0) for a shape of roughly `radius` pixels. */
export function actionShape(action: Action, radius: number): string {
  const r = Math.round(radius * 4) / 4;
  const key = `${action}:${r}`;
  let path = cache.get(key);
  if (path === undefined) {
    path = symbol(SYMBOLS[action], Math.PI * r * r * AREA[action])() ?? '';
    cache.set(key, path);
  }
  return path;
}
