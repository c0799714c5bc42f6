// Small dependency-free SVG charts: a line chart over time and a horizontal bar chart.

import { h, s } from './dom.js';
import { time } from './format.js';

const W = 320;
const H = 120;
const M = { top: 10, right: 10, bottom: 20, left: 44 };

/**
 * @param title chart title (also the accessible name)
 * @param samples [{ t: epoch ms, ... }]
 * @param series [{ label, value: (sample) => number|null, className }]
 * @param format (number) => string for the axis and the latest values
 */
export function lineChart({ title, samples, series, format = String, axisFormat = format }) {
  const points = samples.filter((sample) => series.some((line) => finite(line.value(sample))));
  const figure = h('figure.chart');
  const latest = series.map((line) => {
    const last = [...points].reverse().find((sample) => finite(line.value(sample)));
    return `${line.label}: ${last ? format(line.value(last)) : '—'}`;
  });
  figure.append(h('figcaption', title));
  if (points.length === 0) {
    figure.append(h('p.chart-empty', 'No samples yet'));
    return figure;
  }
  const values = points.flatMap((sample) => series.map((line) => line.value(sample)).filter(finite));
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const span = max - min || 1;
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const tspan = t1 - t0 || 1;
  const x = (t) => M.left + ((t - t0) / tspan) * (W - M.left - M.right);
  const y = (v) => M.top + (1 - (v - min) / span) * (H - M.top - M.bottom);

  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}. Latest: ${latest.join(', ')}. ${points.length} samples.` });
  svg.append(
    s('line', { class: 'axis', x1: M.left, y1: y(min), x2: W - M.right, y2: y(min) }),
    s('line', { class: 'grid', x1: M.left, y1: y(max), x2: W - M.right, y2: y(max) }),
    s('text', { class: 'tick', x: M.left - 4, y: y(max) + 4, 'text-anchor': 'end' }, axisFormat(max)),
    s('text', { class: 'tick', x: M.left - 4, y: y(min) + 4, 'text-anchor': 'end' }, axisFormat(min)),
    s('text', { class: 'tick', x: M.left, y: H - 4 }, time(new Date(t0)).slice(0, 8)),
    s('text', { class: 'tick', x: W - M.right, y: H - 4, 'text-anchor': 'end' }, time(new Date(t1)).slice(0, 8)),
  );
  series.forEach((line, index) => {
    const pts = points.filter((sample) => finite(line.value(sample))).map((sample) => `${x(sample.t).toFixed(1)},${y(line.value(sample)).toFixed(1)}`);
    const cls = `series series-${index}${line.className ? ` ${line.className}` : ''}`;
    if (pts.length === 1) {
      const [px, py] = pts[0].split(',');
      svg.append(s('circle', { class: cls, cx: px, cy: py, r: 3 }));
    } else {
      svg.append(s('polyline', { class: cls, points: pts.join(' ') }));
    }
  });
  figure.append(svg);
  figure.append(h('ul.legend', series.map((line, index) => h('li', h(`span.swatch.series-${index}`), latest[index]))));
  return figure;
}

/** @param entries [{ label, value, className }] */
export function barChart({ title, entries, format = String }) {
  const figure = h('figure.chart');
  figure.append(h('figcaption', title));
  const max = Math.max(1, ...entries.map((entry) => Number(entry.value) || 0));
  const rowH = 20;
  const labelW = 120;
  const height = Math.max(rowH, entries.length * rowH);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${height}`,
    role: 'img',
    'aria-label': `${title}: ${entries.map((entry) => `${entry.label} ${format(entry.value)}`).join(', ')}`,
  });
  entries.forEach((entry, i) => {
    const value = Number(entry.value) || 0;
    const width = ((W - labelW - 50) * value) / max;
    svg.append(
      s('text', { class: 'tick', x: labelW - 6, y: i * rowH + 14, 'text-anchor': 'end' }, entry.label),
      s('rect', { class: `bar ${entry.className ?? ''}`, x: labelW, y: i * rowH + 4, width: Math.max(value ? 2 : 0, width), height: rowH - 8, rx: 2 }),
      s('text', { class: 'tick', x: labelW + width + 6, y: i * rowH + 14 }, format(value)),
    );
  });
  figure.append(svg);
  return figure;
}

function finite(value) {
  return value !== null && value !== undefined && Number.isFinite(Number(value));
}
