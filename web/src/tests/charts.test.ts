import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { labelEvery, labelIndexes, linePath, linePoints, niceMax, scale, stack, tickCount, ticks } from '../lib/charts/scale';
import { BarChart, LineChart, StackedBar } from '../lib/charts';

describe('chart scaling', () => {
  it('rounds the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(0.83)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(1.2)).toBe(2);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(23)).toBe(25);
    expect(niceMax(140)).toBe(200);
    expect(niceMax(0.3)).toBe(0.5);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(Number.NaN)).toBe(1);
  });

  it('spaces ticks evenly and maps values onto the drawing, clamped', () => {
    expect(ticks(1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(25, 5)).toEqual([0, 5, 10, 15, 20, 25]);
    // Round maxima get round steps: 250 % in 50 % steps, 200 % in 50 %, 1 in quarters.
    expect(ticks(2.5, tickCount(2.5))).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(ticks(2, tickCount(2))).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(ticks(1, tickCount(1))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(50, tickCount(50))).toEqual([0, 10, 20, 30, 40, 50]);
    expect(scale(0.5, 1, 300)).toBe(150);
    expect(scale(2, 1, 300)).toBe(300);
    expect(scale(-1, 1, 300)).toBe(0);
    expect(scale(5, 0, 300)).toBe(0);
  });

  it('draws a line with gaps where a month has no value', () => {
    const pts = linePoints([1, 0.5, null, 0], 1, 300, 100);
    expect(pts).toEqual([{ x: 0, y: 0 }, { x: 100, y: 50 }, null, { x: 300, y: 100 }]);
    expect(linePath(pts)).toBe('M0,0L100,50M300,100');
    // One point sits in the middle.
    expect(linePoints([0.5], 1, 300, 100)).toEqual([{ x: 150, y: 50 }]);
    expect(linePath([])).toBe('');
  });

  it('thins axis labels out so that neighbours never touch', () => {
    // Twelve months over 240 px (a 360 px phone): 21.8 px apart, a label is 49 px wide.
    const every = labelEvery(12, 240, 49);
    expect(every).toBe(3);
    expect(every * (240 / 11)).toBeGreaterThanOrEqual(49 + 10);
    expect(labelIndexes(12, every)).toEqual([0, 3, 6, 11]);
    // On a desktop every month has its label.
    expect(labelEvery(12, 900, 49)).toBe(1);
    expect(labelIndexes(12, 1)).toHaveLength(12);
    expect(labelEvery(1, 240, 49)).toBe(1);
  });

  it('stacks parts of a whole', () => {
    const s = stack([6, 3, 1]);
    expect(s.map((x) => x.start)).toEqual([0, 0.6, 0.8999999999999999]);
    expect(s.map((x) => x.size)).toEqual([0.6, 0.3, 0.1]);
    expect(stack([0, 0]).every((x) => x.size === 0)).toBe(true);
    expect(stack([-2, 2]).map((x) => x.share)).toEqual([0, 1]);
  });
});

describe('chart components', () => {
  it('describe themselves with their numbers and draw one bar per item with the limit line', () => {
    const { container } = render(BarChart, {
      bars: [
        { label: 'Đăng ký kết hôn', value: 1.3, display: '130%', tone: 'bad' },
        { label: 'Đăng ký khai sinh', value: 0.5, display: '50%' },
      ],
      marker: 1,
      markerLabel: 'Thời hạn',
      label: 'Thời gian so với thời hạn: Đăng ký kết hôn 130%; Đăng ký khai sinh 50%',
    });
    const img = screen.getByRole('img');
    expect(img.getAttribute('aria-label')).toContain('Đăng ký kết hôn 130%');
    const bars = container.querySelectorAll('rect.bar');
    expect(bars).toHaveLength(2);
    // The axis runs to 2 (130% rounds up), so 1.3 is 65 % of the plot and 0.5 is 25 %.
    const w = (i: number) => Number(bars[i].getAttribute('width'));
    expect(w(1) / w(0)).toBeCloseTo(0.5 / 1.3, 5);
    expect(bars[0].getAttribute('fill')).toMatch(/^url\(#bar\d+-hatch\)$/);
    expect(container.querySelectorAll('line.marker')).toHaveLength(2);
  });

  it('draw a line per series and the target', () => {
    const { container } = render(LineChart, {
      labels: ['01/2026', '02/2026', '03/2026'],
      series: [
        { name: 'Trực tuyến', values: [0.4, 0.5, 0.55] },
        { name: 'Toàn trình', values: [0.1, null, 0.2] },
      ],
      max: 1,
      goal: { value: 0.6, label: 'Mục tiêu 60%' },
      format: (v: number) => `${Math.round(v * 100)}%`,
      label: 'Tỷ lệ trực tuyến: 01/2026 40%; 02/2026 50%; 03/2026 55%',
    });
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('03/2026 55%');
    expect(container.querySelectorAll('svg[role="img"] path.line')).toHaveLength(2);
    expect(container.querySelectorAll('circle.dot')).toHaveLength(3);
    // The null month leaves a gap: two squares, not three.
    expect(container.querySelectorAll('rect.dot')).toHaveLength(2);
    expect(screen.getAllByText('Mục tiêu 60%').length).toBeGreaterThan(0);
  });

  it('stack the parts with a legend that carries the numbers', () => {
    const { container } = render(StackedBar, {
      parts: [
        { label: 'Trực tiếp', value: 6, display: '6 · 60%' },
        { label: 'Trực tuyến', value: 4, display: '4 · 40%' },
        { label: 'Bưu chính', value: 0, display: '0 · 0%' },
      ],
      label: 'Hồ sơ theo hình thức nộp: Trực tiếp 6; Trực tuyến 4; Bưu chính 0',
    });
    const segs = container.querySelectorAll('svg[role="img"] rect.seg');
    expect(segs).toHaveLength(2);
    expect(Number(segs[0].getAttribute('width'))).toBeCloseTo(600);
    expect(Number(segs[1].getAttribute('x'))).toBeCloseTo(600);
    expect(screen.getByText('4 · 40%')).toBeInTheDocument();
  });
});
