// Geometry of the dashboard's small SVG charts: axis maxima, ticks, bar lengths, line paths,
// stacked segments. Pure numbers, so tests can check what the pictures say.

/**
 * A round axis maximum at or above `v`: 1, 2, 2.5, 5 or 10 times a power of ten
 * (0.83 → 1, 7 → 10, 23 → 25, 140 → 200). 0 or less → 1, so empty charts still draw.
 */
export function niceMax(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const candidate = step * pow;
    // Guard against 0.30000000000000004-style noise pushing a round value up a step.
    if (candidate >= v - pow * 1e-9) return Number(candidate.toPrecision(12));
  }
  return 10 * pow;
}

/**
 * How many steps divide a round maximum into round ticks: 1 → 4 (0.25), 2 → 4 (0.5),
 * 2.5 → 5 (0.5), 5 → 5 (1), 10 → 5 (2), times any power of ten.
 */
export function tickCount(max: number): number {
  if (!(max > 0)) return 4;
  const m = Number((max / 10 ** Math.floor(Math.log10(max))).toPrecision(6));
  return m === 1 || m === 2 ? 4 : 5;
}

/** `count` + 1 evenly spaced ticks from 0 to `max`. */
export function ticks(max: number, count = 4): number[] {
  const out: number[] = [];
  for (let i = 0; i <= count; i++) out.push(Number(((max * i) / count).toPrecision(12)));
  return out;
}

/** A linear map of [0, max] onto [0, size], clamped; a max of 0 maps everything to 0. */
export function scale(value: number, max: number, size: number): number {
  if (!(max > 0) || !Number.isFinite(value)) return 0;
  return Math.max(0, Math.min(size, (value / max) * size));
}

/**
 * Every how many points an axis label is drawn, so that labels centred on their points
 * (`labelWidth` px wide) stay at least `gap` px apart when `count` points spread over `width` px.
 */
export function labelEvery(count: number, width: number, labelWidth: number, gap = 10): number {
  if (count < 2 || !(width > 0)) return 1;
  return Math.max(1, Math.ceil((labelWidth + gap) / (width / (count - 1))));
}

/** The x positions of the labels drawn on an axis of `count` points: every `every`-th, and the last. */
export function labelIndexes(count: number, every: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (i === count - 1 || (i % every === 0 && count - 1 - i >= every)) out.push(i);
  return out;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * The x positions of `n` points spread over `width` (one point sits in the middle), and the y of
 * each value (SVG y grows downwards: 0 at the bottom, `max` at the top). Null values are gaps.
 */
export function linePoints(values: ReadonlyArray<number | null>, max: number, width: number, height: number): Array<Point | null> {
  const n = values.length;
  return values.map((v, i) => {
    if (v === null || !Number.isFinite(v)) return null;
    const x = n === 1 ? width / 2 : (i * width) / (n - 1);
    return { x: round(x), y: round(height - scale(v, max, height)) };
  });
}

const round = (n: number) => Math.round(n * 100) / 100;

/** An SVG path through the points; a null breaks the line (no data that month). */
export function linePath(points: ReadonlyArray<Point | null>): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x},${p.y}`;
    pen = true;
  }
  return d;
}

export interface Segment {
  /** Offset and width, as fractions of the whole bar (0–1). */
  start: number;
  size: number;
  value: number;
  share: number;
}

/** Parts of a 100 % bar: each value's offset and width; an all-zero bar has no width anywhere. */
export function stack(values: readonly number[]): Segment[] {
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  let at = 0;
  return values.map((raw) => {
    const v = Math.max(0, raw);
    const share = total > 0 ? v / total : 0;
    const seg = { start: at, size: share, value: v, share };
    at += share;
    return seg;
  });
}
