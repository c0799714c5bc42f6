// Cluster: silos with heartbeat age, leases held, mailbox depth; dead letters. Read on open, on Refresh and
// whenever a case changes (at most once a second); ages count up in the browser between reads.

import { cluster } from '../api.js';
import { h, replace } from '../dom.js';
import { age, dateTime, json, label, number } from '../format.js';

export function mountCluster(main, _route, ctx) {
  const status = h('p.list-summary', { 'aria-live': 'polite' });
  const content = h('div');
  let timer = null;
  let last = 0;
  let running = false;
  let closed = false;

  main.append(
    h('div.page-head', h('h1', { tabindex: -1 }, 'Cluster'),
      h('button.button', { type: 'button', id: 'refresh-cluster', onclick: () => load() }, 'Refresh')),
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
        status.textContent = `Read at ${dateTime(new Date())}.`;
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
    const deadRaw = data?.deadLetters;
    const deadList = Array.isArray(deadRaw) ? deadRaw : Array.isArray(deadRaw?.recent) ? deadRaw.recent : Array.isArray(data?.recentDeadLetters) ? data.recentDeadLetters : [];
    const deadCount = typeof deadRaw === 'number' ? deadRaw : (deadRaw?.count ?? deadList.length);
    const totalLeases = silos.reduce((sum, silo) => sum + (Number(silo.leasesHeld ?? silo.leases) || 0), 0);
    const totalMailbox = data?.mailboxDepth ?? silos.reduce((sum, silo) => sum + (Number(silo.mailboxDepth) || 0), 0);

    replace(content,
      h('div.figures',
        h('div.figure', h('div.figure-title', 'Silos'), h('div.figure-value', h('strong', { 'data-metric': 'silos' }, number(silos.length)))),
        h('div.figure', h('div.figure-title', 'Leases held'), h('div.figure-value', h('strong', number(totalLeases)))),
        h('div.figure', h('div.figure-title', 'Mailbox depth'), h('div.figure-value', h('strong', { 'data-metric': 'mailbox' }, number(totalMailbox)))),
        h('div.figure', { class: deadCount ? 'figure alert' : 'figure' }, h('div.figure-title', 'Dead letters'), h('div.figure-value', h('strong', { 'data-metric': 'dead-letters' }, number(deadCount))))),
      h('section.card', { 'aria-labelledby': 'silos-title' },
        h('h2', { id: 'silos-title' }, 'Silos'),
        silos.length === 0 ? h('p.muted', 'No silos reported.') : h('div.table-wrap', h('table.silos',
          h('thead', h('tr',
            h('th', { scope: 'col' }, 'Silo'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Heartbeat'),
            h('th', { scope: 'col' }, 'Started'),
            h('th', { scope: 'col' }, 'Leases held'),
            h('th', { scope: 'col' }, 'Mailbox depth'),
            h('th', { scope: 'col' }, 'Activations'))),
          h('tbody', silos.map((silo) => {
            const heartbeat = silo.lastHeartbeatAt ?? silo.heartbeatAt ?? silo.lastHeartbeat;
            return h('tr', { 'data-silo': silo.siloId ?? silo.id },
              h('th', { scope: 'row' }, h('span.mono', silo.siloId ?? silo.id ?? '—'), silo.address ? h('div.muted.small.mono', silo.address) : null,
                silo.self || silo.isSelf ? h('span.badge.small', 'this silo') : null),
              h('td', h(`span.badge.silo-${silo.status ?? 'unknown'}`, label(silo.status ?? 'unknown'))),
              h('td', heartbeat ? h('span', { 'data-since': heartbeat, title: dateTime(heartbeat) }, age(heartbeat)) : '—'),
              h('td', dateTime(silo.startedAt)),
              h('td.num', number(silo.leasesHeld ?? silo.leases)),
              h('td.num', number(silo.mailboxDepth)),
              h('td.num', number(silo.activations)));
          }))))),
      h('section.card', { 'aria-labelledby': 'dead-title' },
        h('h2', { id: 'dead-title' }, 'Dead letters'),
        deadList.length === 0 ? h('p.muted', deadCount ? `${number(deadCount)} dead letters (no details reported).` : 'None.') : h('div.table-wrap', h('table',
          h('thead', h('tr',
            h('th', { scope: 'col' }, 'At'),
            h('th', { scope: 'col' }, 'Grain'),
            h('th', { scope: 'col' }, 'Message'),
            h('th', { scope: 'col' }, 'Attempts'),
            h('th', { scope: 'col' }, 'Error'))),
          h('tbody', deadList.map((dead) => h('tr',
            h('td', dateTime(dead.at ?? dead.deadAt)),
            h('td.mono', dead.grain ?? dead.grainId ?? (dead.caseId ? `case ${dead.caseId}` : '—')),
            h('td.mono', dead.messageType ?? dead.type ?? '—'),
            h('td.num', number(dead.attempts)),
            h('td.error-text', typeof dead.error === 'string' ? dead.error : json(dead.error)))))))));
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
