// Formatting of the API's values; every function copes with missing input, since the server may omit fields.

export const CASE_STATUSES = ['running', 'cancel_pending', 'cancelling', 'force_cancelling', 'cancelled', 'completed', 'failed'];
export const TASK_STATUSES = ['pending', 'ready', 'running', 'cancelling', 'cancelled', 'completed', 'failed', 'skipped'];
export const RESOURCE_STATUSES = ['held', 'releasing', 'released', 'orphaned'];
export const CLOSED_CASE_STATUSES = new Set(['cancelled', 'completed', 'failed']);
export const ACTIVE_TASK_STATUSES = new Set(['pending', 'ready', 'running']);

export function label(status) {
  return status ? String(status).replaceAll('_', ' ') : 'unknown';
}

export function time(value) {
  const date = toDate(value);
  if (!date) {
    return '—';
  }
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
    + '.' + String(date.getMilliseconds()).padStart(3, '0');
}

export function dateTime(value) {
  const date = toDate(value);
  if (!date) {
    return '—';
  }
  const day = date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return `${day} ${time(date)}`;
}

export function toDate(value) {
  if (!value) {
    return null;
  }
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function age(value, now = Date.now()) {
  const date = toDate(value);
  if (!date) {
    return '—';
  }
  return duration(Math.max(0, (now - date.getTime()) / 1000)) + ' ago';
}

export function elapsed(value, now = Date.now()) {
  const date = toDate(value);
  return date ? duration(Math.max(0, (now - date.getTime()) / 1000)) : '—';
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) {
    return '—';
  }
  const value = Number(seconds);
  if (value < 1) {
    return `${Math.round(value * 1000)} ms`;
  }
  if (value < 60) {
    return `${value.toFixed(value < 10 ? 2 : 1)} s`;
  }
  if (value < 3600) {
    return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
  }
  return `${Math.floor(value / 3600)} h ${Math.round((value % 3600) / 60)} min`;
}

export function between(start, end) {
  const a = toDate(start);
  const b = toDate(end);
  return a && b ? duration((b - a) / 1000) : '—';
}

export function number(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) {
    return '—';
  }
  return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function percent(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) {
    return '—';
  }
  return `${(Number(value) * 100).toFixed(1)} %`;
}

export function usage(value) {
  if (!value) {
    return '—';
  }
  const parts = [];
  if (value.tokens !== undefined && value.tokens !== null) {
    parts.push(`${number(value.tokens)} tokens`);
  }
  if (value.gpuSeconds !== undefined && value.gpuSeconds !== null) {
    parts.push(`${number(value.gpuSeconds, 1)} GPU s`);
  }
  return parts.length ? parts.join(' · ') : '—';
}

export function json(value) {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value, null, 2);
}

export function compact(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) {
    return '—';
  }
  return Number(value).toLocaleString(undefined, { notation: 'compact', maximumFractionDigits: 1 });
}
