// Dashboard shell: login, session (principal and roles from /api/v1/me), routing, the shared live stream.

import { ApiError, apiKey, clearApiKey, listCases, listProcesses, me, onUnauthorized, setApiKey, setOrleansCookie } from './api.js';
import { h, replace } from './dom.js';
import { age, elapsed } from './format.js';
import { createHub, createMetricsStore } from './live.js';
import { mountCases } from './views/cases.js';
import { mountCase } from './views/case.js';
import { mountCluster } from './views/cluster.js';
import { mountLogin } from './views/login.js';
import { mountMetrics } from './views/metrics.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const toasts = document.getElementById('toasts');
const hub = createHub();
const metricsStore = createMetricsStore();

let session = null;
let unmount = null;
let processCache = null;
let loginNotice = '';

const CANCEL_ROLES = ['admin', 'operator'];

function sessionFrom(info, rolesKnown) {
  const roles = Array.isArray(info?.roles) ? info.roles.map(String) : [];
  const readOnly = info?.readOnly === true;
  // Without /api/v1/me the roles are unknown: show the controls and let the server answer 403.
  const canCancel = !readOnly && (!rolesKnown || roles.some((role) => CANCEL_ROLES.includes(role.toLowerCase())));
  // The Orleans dashboard (/orleans/) is for admins; read-only mode does not hide it, it changes nothing.
  const isAdmin = rolesKnown && roles.some((role) => role.toLowerCase() === 'admin');
  // Purging a case's payloads is for admins; with the roles unknown, as for cancelling, the server decides.
  const canPurge = !readOnly && (!rolesKnown || isAdmin);
  return { principal: info?.principal ?? 'unknown', roles, readOnly, canCancel, canPurge, rolesKnown, isAdmin };
}

async function loadSession(key) {
  try {
    return sessionFrom(await me({ key }), true);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
      await listCases({ limit: 1, key });
      return sessionFrom(null, false);
    }
    throw error;
  }
}

function startSession(next) {
  session = next;
  // On log in and on every reload: an admin's key goes into the Orleans dashboard's cookie, anyone else's does not.
  setOrleansCookie(session.isAdmin ? apiKey() : null);
  topbar.hidden = false;
  const roles = session.rolesKnown ? (session.roles.join(', ') || 'no roles') : 'roles unknown';
  replace(document.getElementById('principal'),
    h('span.principal-name', session.principal),
    h('span.principal-roles', ` (${roles})`),
    session.readOnly ? h('span.badge.readonly', { title: 'The dashboard is in read-only mode: controls are hidden and the server refuses writes.' }, 'read-only') : null);
  hub.start();
  metricsStore.sample();
}

function endSession(notice) {
  session = null;
  processCache = null;
  clearApiKey();
  hub.stop();
  metricsStore.reset();
  topbar.hidden = true;
  loginNotice = notice ?? '';
}

onUnauthorized(() => {
  if (!session && location.pathname === '/login') {
    return;
  }
  const returnTo = location.pathname === '/login' ? '/cases' : location.pathname + location.search;
  endSession('The server refused the API key (401). Log in again.');
  navigate(`/login?returnTo=${encodeURIComponent(returnTo)}`, { replace: true });
});

hub.onState((state) => {
  const live = document.getElementById('live');
  live.dataset.state = state;
  const text = { open: 'live', connecting: 'connecting', reconnecting: 'reconnecting', unavailable: 'live updates unavailable', idle: 'offline' }[state] ?? state;
  live.querySelector('.live-text').textContent = text;
  live.title = `Live updates: ${text}`;
});

hub.subscribe((change) => {
  if (change.caseId || change.type === 'stream_opened') {
    metricsStore.changed();
  }
  if (change.type === 'cancel_refused') {
    // An alert for the case's administrators, wherever they are in the dashboard.
    toast(`Cancel refused: ${change.principal ?? 'someone'} has no rights to ${String(change.action ?? 'cancel').replaceAll('_', ' ')} case ${change.caseId}.`, 'alert');
  }
});

export function toast(message, kind = 'info') {
  const item = h(`div.toast.${kind}`, message);
  toasts.append(item);
  setTimeout(() => item.remove(), 6000);
}

async function processes({ refresh = false } = {}) {
  if (!processCache || refresh) {
    processCache = listProcesses().catch((error) => {
      processCache = null;
      throw error;
    });
  }
  return processCache;
}

const routes = [
  { pattern: /^\/(?:cases\/?)?$/, nav: 'cases', title: 'Cases', mount: mountCases },
  { pattern: /^\/cases\/(.+)$/, nav: 'cases', title: 'Case', mount: mountCase },
  { pattern: /^\/metrics\/?$/, nav: 'metrics', title: 'Metrics', mount: mountMetrics },
  { pattern: /^\/cluster\/?$/, nav: 'cluster', title: 'Cluster', mount: mountCluster },
];

export function navigate(url, { replace: replaceState = false } = {}) {
  if (replaceState) {
    history.replaceState(null, '', url);
  } else {
    history.pushState(null, '', url);
  }
  render({ moveFocus: true });
}

function render({ moveFocus = false } = {}) {
  unmount?.();
  unmount = null;
  const path = location.pathname;
  const params = new URLSearchParams(location.search);

  if (!session || path === '/login') {
    if (session && path === '/login') {
      navigate('/cases', { replace: true });
      return;
    }
    document.title = 'Log in · Ripcord';
    replace(main);
    unmount = mountLogin(main, {
      notice: loginNotice,
      async login(key) {
        const next = await loadSession(key);
        setApiKey(key);
        loginNotice = '';
        startSession(next);
        const returnTo = params.get('returnTo');
        navigate(returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/cases', { replace: true });
      },
    });
    return;
  }

  const route = routes.find((r) => r.pattern.test(path));
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (route && link.dataset.nav === route.nav) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (!route) {
    document.title = 'Not found · Ripcord';
    replace(main, h('h1', 'Not found'), h('p', 'There is no such page. ', h('a', { href: '/cases', 'data-link': true }, 'Back to the cases')));
    return;
  }
  const match = path.match(route.pattern);
  document.title = `${route.title} · Ripcord`;
  const context = {
    session,
    hub,
    metricsStore,
    processes,
    navigate,
    toast,
    setTitle: (title) => {
      document.title = `${title} · Ripcord`;
    },
  };
  replace(main);
  unmount = route.mount(main, { match, params }, context) ?? null;
  if (moveFocus) {
    (main.querySelector('h1') ?? main).focus({ preventScroll: false });
  }
}

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[data-link]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin) {
    return;
  }
  event.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render({ moveFocus: true }));

// The skip link moves focus without a fragment navigation, which would fire popstate and re-render the page.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  (main.querySelector('h1') ?? main).focus();
});

document.getElementById('logout').addEventListener('click', () => {
  endSession('You logged out.');
  navigate('/login', { replace: true });
});

// Ages (heartbeats, silos) count up every second without asking the server.
setInterval(() => {
  const now = Date.now();
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = el.dataset.sinceFormat === 'duration' ? elapsed(el.dataset.since, now) : age(el.dataset.since, now);
  }
}, 1000);

async function boot() {
  const key = apiKey();
  if (key) {
    try {
      startSession(await loadSession(key));
    } catch (error) {
      endSession(error instanceof ApiError && error.status === 401
        ? 'The server refused the API key (401). Log in again.'
        : `Could not reach the server: ${error.message}`);
      if (location.pathname !== '/login') {
        history.replaceState(null, '', `/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`);
      }
    }
  } else if (location.pathname !== '/login') {
    history.replaceState(null, '', `/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`);
  }
  render();
}

boot();
