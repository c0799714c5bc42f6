// Cluster: the Orleans silos with status, heartbeat age, start, activations and agent streams. Read on open, on
// Refresh and whenever a case changes (at most once a second); ages count up in the browser between reads. Admins
// also get a link to the Orleans dashboard (/orleans/), which reads the key from the cookie set at login.

import { apiKey, cluster, ORLEANS_PATH, setOrleansCookie } from '../api.js';
import { h, replace } from '../dom.js';
import { age, dateTime, number } from '../format.js';

// Orleans' statuses as the endpoint writes them (lower case, no separator); anything else is shown as it comes.
const STATUS_LABELS = {
  created: 'created',
  joining: 'joining',
  active: 'active',
  shuttingdown: 'shutting down',
  shutting_down: 'shutting down',
  stopping: 'stopping',
  dead: 'dead',
};

function statusOf(silo) {
  const raw = String(silo.status ?? 'unknown').toLowerCase();
  return { css: raw.replace(/[^a-z0-9_-]/g, ''), text: STATUS_LABELS[raw] ?? raw.replaceAll('_', ' ') };
}

// A count that a silo may not report (null: it did not answer, or the figure belongs to another silo).
function sum(silos, field) {
  const known = silos.map((silo) => silo[field]).filter((value) => value !== null && value !== undefined && !Number.isNaN(Number(value)));
  return known.length === 0 ? null : known.reduce((total, value) => total + Number(value), 0);
}

function figure(title, metric, value, sub) {
  return h('div.figure',
    h('div.figure-title', title),
    h('div.figure-value', h('strong', { 'data-metric': metric }, number(value))),
    sub ? h('div.figure-sub', sub) : null);
}

export function mountCluster(main, _route, ctx) {
  const status = h('p.list-summary', { 'aria-live': 'polite' });
  const content = h('div');
  let timer = null;
  let last = 0;
  let running = false;
  let closed = false;

  // A plain link (no data-link): the Orleans dashboard is its own page. The cookie is written again from this tab's
  // key on the way, in case another tab has since logged out or in with another key.
  const orleans = ctx.session?.isAdmin
    ? h('a.button', {
      href: `${ORLEANS_PATH}/`,
      id: 'orleans-dashboard',
      title: 'The Orleans dashboard: grains, silos and their counters (admins only)',
      onclick: () => setOrleansCookie(apiKey()),
      onauxclick: () => setOrleansCookie(apiKey()),
    }, 'Orleans dashboard')
    : null;

  main.append(
    h('div.page-head', h('h1', { tabindex: -1 }, 'Cluster'),
      h('div.page-actions', orleans,
        h('button.button', { type: 'button', id: 'refresh-cluster', onclick: () => load() }, 'Refresh'))),
    status,
    content);

  async function load() {
    if (running) {
      return;
    }
    running = true;
    last = Date.now();
    try {
      const data = await cluster();
      if (!closed) {
        render(data);
        status.textContent = data?.self ? `Read at ${dateTime(new Date())} from silo ${data.self}.` : `Read at ${dateTime(new Date())}.`;
      }
    } catch (error) {
      if (!closed) {
        status.textContent = `Could not read the cluster: ${error.message}`;
      }
    } finally {
      running = false;
    }
  }

  function render(data) {
    const silos = Array.isArray(data?.silos) ? data.silos : [];
    const isSelf = (silo) => silo.self === true || (data?.self && silo.siloId === data.self);
    const active = silos.filter((silo) => statusOf(silo).css === 'active').length;
    const activations = sum(silos, 'activations');
    const streams = sum(silos, 'agentStreams');
    const streamsOnlySelf = silos.some((silo) => !isSelf(silo) && (silo.agentStreams === null || silo.agentStreams === undefined));

    replace(content,
      h('div.figures',
        figure('Silos', 'silos', silos.length, `${number(active)} active`),
        figure('Activations', 'activations', activations, 'grains active on the silos that answered'),
        figure('Agent streams', 'agent-streams', streams, streamsOnlySelf ? 'on this silo' : 'agents connected')),
      h('section.card', { 'aria-labelledby': 'silos-title' },
        h('h2', { id: 'silos-title' }, 'Silos'),
        silos.length === 0 ? h('p.muted', 'No silos reported.') : [
          h('div.table-wrap', h('table.silos',
            h('thead', h('tr',
              h('th', { scope: 'col' }, 'Silo'),
              h('th', { scope: 'col' }, 'Status'),
              h('th', { scope: 'col' }, 'Heartbeat'),
              h('th', { scope: 'col' }, 'Started'),
              h('th', { scope: 'col' }, 'Activations'),
              h('th', { scope: 'col' }, 'Agent streams'))),
            h('tbody', silos.map((silo) => {
              const state = statusOf(silo);
              const heartbeat = silo.lastHeartbeatAt;
              return h('tr', { 'data-silo': silo.siloId, 'data-status': state.css },
                h('th', { scope: 'row' }, h('span.mono', silo.siloId ?? '—'), silo.address ? h('div.muted.small.mono', silo.address) : null,
                  isSelf(silo) ? h('span.badge.small', 'this silo') : null),
                h('td', h(`span.badge.silo-${state.css || 'unknown'}`, { 'data-field': 'status' }, state.text)),
                h('td', { 'data-field': 'heartbeat' }, heartbeat ? h('span', { 'data-since': heartbeat, title: dateTime(heartbeat) }, age(heartbeat)) : '—'),
                h('td', { 'data-field': 'started' }, dateTime(silo.startedAt)),
                h('td.num', { 'data-field': 'activations' }, number(silo.activations)),
                h('td.num', { 'data-field': 'agent-streams' }, number(silo.agentStreams)));
            })))),
          h('p.muted.small', 'Activations are counted by each active silo (— when it did not answer); agent streams only by the silo that answered, the others show —.'),
        ]));
  }

  const unsubscribe = ctx.hub.subscribe((change) => {
    if (!change.caseId && change.type !== 'stream_opened') {
      return;
    }
    if (timer) {
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      load();
    }, Math.max(0, 1000 - (Date.now() - last)));
  });
  load();

  return () => {
    closed = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
