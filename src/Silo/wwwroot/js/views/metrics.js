// Metrics: the seed metrics as figures, and charts over time from the samples the dashboard takes whenever a case
// changes (see live.js). Reads /api/v1/metrics defensively: every field may be missing.

import { barChart, lineChart } from '../charts.js';
import { h, replace } from '../dom.js';
import { CASE_STATUSES, compact, duration, label, number, percent, time } from '../format.js';

const pick = (object, ...names) => {
  for (const name of names) {
    if (object && object[name] !== undefined && object[name] !== null) {
      return object[name];
    }
  }
  return undefined;
};

// Normalises the response: { latency: {p50,p99,count}, termination: {mean,p50,p99,count}, saved: {tokens,gpuSeconds},
// orphaned: {count,rate,released}, falseCancels: {count,rate}, byStatus: {status: n} }.
export function readMetrics(m) {
  const latency = pick(m, 'cancelSignalLatency', 'cancelSignalLatencySeconds', 'signalLatency') ?? {};
  const ack = pick(m, 'cancelAckLatency', 'ackLatency', 'cancelAckLatencySeconds') ?? {};
  const termination = pick(m, 'timeToFullTermination', 'timeToFullTerminationSeconds', 'fullTermination') ?? {};
  const saved = pick(m, 'computeSaved', 'computeReclaimed') ?? {};
  const orphanedRaw = pick(m, 'orphanedResources', 'orphaned');
  const resources = pick(m, 'resources') ?? {};
  const orphaned = typeof orphanedRaw === 'number' ? { count: orphanedRaw } : (orphanedRaw ?? {});
  const falseRaw = pick(m, 'falseCancellations', 'falseCancels');
  const falseCancels = typeof falseRaw === 'number' ? { count: falseRaw } : (falseRaw ?? {});
  const byStatus = pick(m, 'casesByStatus', 'cases') ?? {};
  return {
    latency: { p50: pick(latency, 'p50', 'median'), p99: pick(latency, 'p99'), count: pick(latency, 'count') },
    ack: { p50: pick(ack, 'p50', 'median'), p99: pick(ack, 'p99'), count: pick(ack, 'count') },
    termination: { mean: pick(termination, 'mean', 'avg', 'average'), p50: pick(termination, 'p50'), p99: pick(termination, 'p99'), count: pick(termination, 'count') },
    saved: { tokens: pick(saved, 'tokens'), gpuSeconds: pick(saved, 'gpuSeconds'), cancellations: pick(saved, 'cancellations') },
    orphaned: {
      count: pick(orphaned, 'count', 'orphaned') ?? pick(resources, 'orphaned'),
      rate: pick(orphaned, 'rate') ?? pick(resources, 'orphanedRate'),
      released: pick(orphaned, 'released') ?? pick(resources, 'released'),
    },
    falseCancels: { count: pick(falseCancels, 'count'), rate: pick(falseCancels, 'rate'), holds: pick(falseCancels, 'holds') },
    refused: pick(m, 'refusedCancels'),
    byStatus: typeof byStatus === 'object' && !Array.isArray(byStatus) ? byStatus : {},
  };
}

export function mountMetrics(main, _route, ctx) {
  const store = ctx.metricsStore;
  const status = h('p.list-summary', { 'aria-live': 'polite' });
  const figures = h('div.figures');
  const charts = h('div.charts');
  const refreshButton = h('button.button', { type: 'button', id: 'refresh-metrics', onclick: () => store.sample() }, 'Refresh');
  main.append(
    h('div.page-head', h('h1', { tabindex: -1 }, 'Metrics'), refreshButton),
    status,
    h('section', { 'aria-labelledby': 'figures-title' }, h('h2.sr-only', { id: 'figures-title' }, 'Figures'), figures),
    h('section', { 'aria-labelledby': 'charts-title' }, h('h2', { id: 'charts-title' }, 'Over time'),
      h('p.muted.small', 'Sampled by this page whenever a case changes (at most once a second) and on Refresh; kept until you log out.'),
      charts));

  function card(title, value, sub, id) {
    return h('div.figure', { id },
      h('div.figure-title', title),
      h('div.figure-value', value),
      sub ? h('div.figure-sub', sub) : null);
  }

  function render() {
    const latest = store.latest;
    if (!latest) {
      status.textContent = store.error ? `Could not read the metrics: ${store.error.message}` : 'Loading…';
      return;
    }
    const m = readMetrics(latest);
    const last = store.samples[store.samples.length - 1];
    status.textContent = `${store.error ? `Last refresh failed (${store.error.message}). ` : ''}Sampled at ${time(new Date(last?.t ?? Date.now()))}; ${store.samples.length} samples.`;
    replace(figures,
      card('Cancel signal latency', h('span', 'p50 ', h('strong', { 'data-metric': 'latency-p50' }, duration(m.latency.p50))), ['p99 ', h('strong', { 'data-metric': 'latency-p99' }, duration(m.latency.p99)), m.latency.count !== undefined ? ` · ${number(m.latency.count)} signals` : ''], 'metric-latency'),
      card('Time to full termination', h('span', 'mean ', h('strong', { 'data-metric': 'termination-mean' }, duration(m.termination.mean ?? m.termination.p50))), [`p50 ${duration(m.termination.p50)} · p99 ${duration(m.termination.p99)}`, m.termination.count !== undefined ? ` · ${number(m.termination.count)} cases` : ''], 'metric-termination'),
      card('Compute saved (tokens)', h('strong', { 'data-metric': 'tokens-saved' }, number(m.saved.tokens)), [h('strong', number(m.saved.gpuSeconds, 1)), ' GPU seconds', m.saved.cancellations !== undefined ? ` · ${number(m.saved.cancellations)} cancellations` : ''], 'metric-saved'),
      card('Orphaned resources', h('strong', { 'data-metric': 'orphaned' }, number(m.orphaned.count)), [`rate ${percent(m.orphaned.rate)}`, m.orphaned.released !== undefined ? ` · ${number(m.orphaned.released)} released` : ''], 'metric-orphaned'),
      card('False cancellations', h('strong', { 'data-metric': 'false-cancellations' }, number(m.falseCancels.count)), [`rate ${percent(m.falseCancels.rate)}`, m.refused !== undefined ? ` · ${number(m.refused)} refused cancels` : ''], 'metric-false'),
      card('Cancel ack latency', h('span', 'p50 ', h('strong', duration(m.ack.p50))), `p99 ${duration(m.ack.p99)}`, 'metric-ack'));

    const samples = store.samples.map((sample) => ({ t: sample.t, ...readMetrics(sample.m) }));
    const statuses = [...new Set([...CASE_STATUSES, ...Object.keys(m.byStatus)])];
    replace(charts,
      lineChart({ title: 'Cancel signal latency', samples, format: duration, series: [
        { label: 'p50', value: (s) => s.latency.p50 },
        { label: 'p99', value: (s) => s.latency.p99 }] }),
      lineChart({ title: 'Time to full termination', samples, format: duration, series: [
        { label: 'mean', value: (s) => s.termination.mean ?? s.termination.p50 },
        { label: 'p99', value: (s) => s.termination.p99 }] }),
      lineChart({ title: 'Compute saved (tokens)', samples, format: (v) => number(v), axisFormat: compact, series: [
        { label: 'tokens', value: (s) => s.saved.tokens }] }),
      lineChart({ title: 'Compute saved (GPU seconds)', samples, format: (v) => number(v, 1), axisFormat: compact, series: [
        { label: 'GPU s', value: (s) => s.saved.gpuSeconds }] }),
      lineChart({ title: 'Orphaned resources and false cancellations', samples, format: (v) => number(v), series: [
        { label: 'orphaned', value: (s) => s.orphaned.count },
        { label: 'false cancellations', value: (s) => s.falseCancels.count }] }),
      lineChart({ title: 'Active cases', samples, format: (v) => number(v), series: [
        { label: 'running', value: (s) => s.byStatus.running },
        { label: 'cancelling', value: (s) => (s.byStatus.cancelling ?? 0) + (s.byStatus.force_cancelling ?? 0) + (s.byStatus.cancel_pending ?? 0) }] }),
      barChart({ title: 'Cases by status', format: (v) => number(v),
        entries: statuses.map((key) => ({ label: label(key), value: m.byStatus[key] ?? 0, className: `status-${key}` })) }));
  }

  const unsubscribe = store.subscribe(render);
  render();
  store.sample();
  return unsubscribe;
}
