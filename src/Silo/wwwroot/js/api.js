// The HTTP API (docs: API.md). Every call carries the API key kept in sessionStorage; a 401 anywhere logs out.

const KEY_NAME = 'ripcord.apiKey';

// The Orleans dashboard (/orleans/) is a page of its own, opened by a plain navigation that cannot carry a Bearer
// header; the silo accepts the key from this cookie there and nowhere else. Path /orleans keeps the browser from
// sending it anywhere else; SameSite=Strict keeps other sites from making the browser send it. It cannot be HttpOnly
// (only a response header can set that, and the key never travels in one), so a script on this origin can get at it,
// as it can at sessionStorage. No Expires: it lasts until log out, or until the browser closes (not the tab).
export const ORLEANS_COOKIE = 'ripcord_api_key';
export const ORLEANS_PATH = '/orleans';
let unauthorizedHandler = () => {};

export class ApiError extends Error {
  constructor(status, problem, text) {
    super(problemMessage(status, problem, text));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

function problemMessage(status, problem, text) {
  if (problem && typeof problem === 'object') {
    const message = problem.detail || problem.title || problem.message || problem.error;
    if (message) {
      return problem.code ? `${message} (${problem.code})` : message;
    }
  }
  if (text && text.length < 300) {
    return `HTTP ${status}: ${text}`;
  }
  return `HTTP ${status}`;
}

export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_NAME);
  } catch {
    return null;
  }
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY_NAME, key);
}

export function clearApiKey() {
  sessionStorage.removeItem(KEY_NAME);
  clearOrleansCookie();
}

function writeOrleansCookie(value, extra = '') {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${ORLEANS_COOKIE}=${value}; Path=${ORLEANS_PATH}; SameSite=Strict${secure}${extra}`;
}

// Percent-encoded, since a key may hold characters a cookie value cannot (the silo decodes it).
export function setOrleansCookie(key) {
  if (key) {
    writeOrleansCookie(encodeURIComponent(key));
  } else {
    clearOrleansCookie();
  }
}

export function clearOrleansCookie() {
  writeOrleansCookie('', '; Max-Age=0');
}

export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function unauthorized() {
  unauthorizedHandler();
}

export function authHeaders(extra = {}) {
  return { Authorization: `Bearer ${apiKey() ?? ''}`, ...extra };
}

export async function request(path, { method = 'GET', body, signal, key } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  headers.Authorization = `Bearer ${key ?? apiKey() ?? ''}`;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    cache: 'no-store',
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.status === 401 && key === undefined) {
    unauthorizedHandler();
  }
  if (!response.ok) {
    throw new ApiError(response.status, data, text);
  }
  return { status: response.status, data };
}

const enc = encodeURIComponent;

// The list may come as an array or as { cases, next }; the cursor under next/nextCursor/cursor.
export async function listCases({ status, process, limit = 500, after, signal, key } = {}) {
  const query = new URLSearchParams();
  if (status) {
    query.set('status', status);
  }
  if (process) {
    query.set('process', process);
  }
  query.set('limit', String(limit));
  if (after) {
    query.set('after', after);
  }
  const { data } = await request(`/api/v1/cases?${query}`, { signal, key });
  const cases = Array.isArray(data) ? data : (data?.cases ?? data?.items ?? []);
  const next = Array.isArray(data) ? null : (data?.next ?? data?.nextCursor ?? data?.cursor ?? null);
  return { cases: cases.filter((c) => c && c.caseId), next };
}

export async function getCase(caseId, { signal } = {}) {
  return (await request(`/api/v1/cases/${enc(caseId)}`, { signal })).data;
}

export async function listProcesses({ signal } = {}) {
  const { data } = await request('/api/v1/processes', { signal });
  const list = Array.isArray(data) ? data : (data?.processes ?? data?.items ?? []);
  return list.filter((p) => p && p.name);
}

export async function me({ key, signal } = {}) {
  return (await request('/api/v1/me', { key, signal })).data;
}

export async function metrics({ signal } = {}) {
  return (await request('/api/v1/metrics', { signal })).data ?? {};
}

export async function cluster({ signal } = {}) {
  return (await request('/api/v1/cluster', { signal })).data ?? {};
}

function optionalNumber(value) {
  if (value === '' || value === null || value === undefined) {
    return undefined;
  }
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export async function cancelCase(caseId, { mode, reason, holdSeconds, gracePeriodSeconds }) {
  const body = { mode, reason };
  const hold = optionalNumber(holdSeconds);
  const grace = optionalNumber(gracePeriodSeconds);
  if (hold !== undefined) {
    body.holdSeconds = hold;
  }
  if (grace !== undefined) {
    body.gracePeriodSeconds = grace;
  }
  return (await request(`/api/v1/cases/${enc(caseId)}/cancel`, { method: 'POST', body })).data ?? {};
}

export async function confirmCancel(caseId, reason) {
  return (await request(`/api/v1/cases/${enc(caseId)}/cancel/confirm`, { method: 'POST', body: { reason } })).data ?? {};
}

export async function purgeCase(caseId, reason) {
  return (await request(`/api/v1/cases/${enc(caseId)}/purge`, { method: 'POST', body: { reason } })).data ?? {};
}

export async function overrideCancel(caseId, reason) {
  return (await request(`/api/v1/cases/${enc(caseId)}/cancel/override`, { method: 'POST', body: { reason } })).data ?? {};
}

export async function cancelTask(caseId, taskId, reason) {
  return (await request(`/api/v1/cases/${enc(caseId)}/tasks/${enc(taskId)}/cancel`, { method: 'POST', body: { reason } })).data ?? {};
}

export async function cancelTasks(caseId, taskIds, reason) {
  return (await request(`/api/v1/cases/${enc(caseId)}/tasks/cancel`, { method: 'POST', body: { taskIds, reason } })).data ?? {};
}
