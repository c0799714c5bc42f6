// Cases: live list with counts per status, filters by status and process, search by id.

import { listCases } from '../api.js';
import { h, replace } from '../dom.js';
import { CASE_STATUSES, CLOSED_CASE_STATUSES, dateTime, label, toDate } from '../format.js';

export function mountCases(main, { params }, ctx) {
  const cases = new Map();
  let next = null;
  let loadError = null;
  let loading = true;
  let knownProcesses = [];
  const filter = { status: params.get('status') ?? '', process: params.get('process') ?? '', q: params.get('q') ?? '' };
  const controller = new AbortController();

  const counts = h('div.status-filters', { role: 'group', 'aria-label': 'Filter by status' });
  const processSelect = h('select', { id: 'process-filter', name: 'process' });
  const search = h('input', { id: 'case-search', type: 'search', name: 'q', value: filter.q, placeholder: 'case id', autocomplete: 'off' });
  const summary = h('p.list-summary', { 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button.button', { type: 'button', hidden: true }, 'Load more');

  const searchForm = h('form.search', { role: 'search', 'aria-label': 'Cases' },
    h('label', { for: 'case-search' }, 'Search by id'), search,
    h('button.button', { type: 'submit' }, 'Open case'));

  main.append(
    h('div.page-head', h('h1', { tabindex: -1 }, 'Cases')),
    h('div.toolbar', counts,
      h('div.filters',
        h('label', { for: 'process-filter' }, 'Process'), processSelect,
        searchForm)),
    summary,
    h('div.table-wrap', h('table.cases', { 'aria-describedby': 'cases-caption' },
      h('caption.sr-only', { id: 'cases-caption' }, 'Cases, newest first; updated live.'),
      h('thead', h('tr',
        h('th', { scope: 'col' }, 'Case'),
        h('th', { scope: 'col' }, 'Process'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Created'),
        h('th', { scope: 'col' }, 'Ended'),
        h('th', { scope: 'col' }, 'Last change'))),
      body)),
    more);

  function syncUrl() {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value) {
        query.set(key, value);
      }
    }
    const url = `/cases${query.size ? `?${query}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
    }
  }

  function visible() {
    const q = filter.q.trim().toLowerCase();
    return [...cases.values()]
      .filter((c) => !filter.status || c.status === filter.status)
      .filter((c) => !filter.process || c.process === filter.process)
      .filter((c) => !q || c.caseId.toLowerCase().includes(q))
      .sort((a, b) => (toDate(b.createdAt)?.getTime() ?? 0) - (toDate(a.createdAt)?.getTime() ?? 0) || a.caseId.localeCompare(b.caseId));
  }

  function renderCounts() {
    const byStatus = new Map(CASE_STATUSES.map((status) => [status, 0]));
    for (const c of cases.values()) {
      if (filter.process && c.process !== filter.process) {
        continue;
      }
      byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
    }
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    const button = (status, text, count) => h(`button.chip${status ? `.status-${status}` : ''}`, {
      type: 'button',
      'aria-pressed': String(filter.status === status),
      'data-status': status || 'all',
      onclick: () => {
        filter.status = status;
        syncUrl();
        renderAll();
      },
    }, h('span.chip-label', text), h('span.count', String(count)));
    const focused = document.activeElement?.closest?.('.status-filters') ? document.activeElement.dataset.status : null;
    replace(counts, button('', 'all', total), [...byStatus].map(([status, count]) => button(status, label(status), count)));
    if (focused) {
      counts.querySelector(`[data-status="${focused}"]`)?.focus();
    }
  }

  function renderProcesses() {
    const names = new Set(knownProcesses);
    for (const c of cases.values()) {
      if (c.process) {
        names.add(c.process);
      }
    }
    const current = filter.process;
    replace(processSelect, h('option', { value: '' }, 'All processes'),
      [...names].sort().map((name) => h('option', { value: name, selected: name === current }, name)));
    processSelect.value = current;
  }

  function row(c) {
    return h('tr', { 'data-case': c.caseId, class: c.flash ? 'flash' : undefined },
      h('th', { scope: 'row' }, h('a', { href: `/cases/${encodeURIComponent(c.caseId)}`, 'data-link': true, id: `case-link-${c.caseId}` }, c.caseId)),
      h('td', c.process ?? '—'),
      h('td', h(`span.badge.status-${c.status}`, { 'data-field': 'status' }, label(c.status))),
      h('td', dateTime(c.createdAt)),
      h('td', dateTime(c.endedAt)),
      h('td.muted', c.lastChange ? `${label(c.lastChange)}` : ''));
  }

  function renderRows() {
    const focusedId = document.activeElement?.id;
    const list = visible();
    if (loading && cases.size === 0) {
      replace(body, h('tr', h('td.empty', { colspan: 6 }, 'Loading…')));
    } else if (list.length === 0) {
      replace(body, h('tr', h('td.empty', { colspan: 6 }, loadError ? `Could not load the cases: ${loadError.message}` : 'No cases match.')));
    } else {
      replace(body, list.map(row));
    }
    if (focusedId && focusedId.startsWith('case-link-')) {
      document.getElementById(focusedId)?.focus();
    }
    summary.textContent = loadError && cases.size
      ? `Showing ${list.length} of ${cases.size} loaded cases. Last reload failed: ${loadError.message}`
      : `Showing ${list.length} of ${cases.size} loaded cases${next ? ' (more on the server)' : ''}.`;
    more.hidden = !next;
    for (const c of cases.values()) {
      c.flash = false;
    }
  }

  function renderAll() {
    renderCounts();
    renderRows();
  }

  async function load({ append = false } = {}) {
    try {
      const page = await listCases({ after: append ? next : undefined, signal: controller.signal });
      if (!append) {
        const seen = new Set(page.cases.map((c) => c.caseId));
        for (const id of [...cases.keys()]) {
          if (!seen.has(id) && !cases.get(id).live) {
            cases.delete(id);
          }
        }
      }
      for (const c of page.cases) {
        cases.set(c.caseId, { ...cases.get(c.caseId), ...c, flash: false });
      }
      next = page.next;
      loadError = null;
    } catch (error) {
      if (controller.signal.aborted) {
        return;
      }
      loadError = error;
    }
    loading = false;
    renderProcesses();
    renderAll();
  }

  processSelect.addEventListener('change', () => {
    filter.process = processSelect.value;
    syncUrl();
    renderAll();
  });
  search.addEventListener('input', () => {
    filter.q = search.value;
    syncUrl();
    renderRows();
  });
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = search.value.trim();
    if (!id) {
      return;
    }
    const exact = cases.has(id) ? id : visible().length === 1 ? visible()[0].caseId : id;
    ctx.navigate(`/cases/${encodeURIComponent(exact)}`);
  });
  more.addEventListener('click', () => load({ append: true }));

  const unsubscribe = ctx.hub.subscribe((change) => {
    if (change.type === 'stream_opened') {
      load();
      return;
    }
    if (!change.caseId) {
      return;
    }
    const existing = cases.get(change.caseId);
    const updated = {
      caseId: change.caseId,
      createdAt: change.at ?? new Date().toISOString(),
      ...existing,
      process: change.process ?? existing?.process,
      status: change.status ?? existing?.status,
      lastChange: change.type,
      live: true,
      flash: true,
    };
    if (change.endedAt) {
      updated.endedAt = change.endedAt;
    } else if (CLOSED_CASE_STATUSES.has(updated.status) && !updated.endedAt && change.at) {
      updated.endedAt = change.at;
    }
    cases.set(change.caseId, updated);
    if (!existing && change.process && !knownProcesses.includes(change.process)) {
      renderProcesses();
    }
    renderAll();
  });

  ctx.processes().then((list) => {
    knownProcesses = list.map((p) => p.name);
    renderProcesses();
  }).catch(() => {});

  renderProcesses();
  renderAll();
  load();

  return () => {
    controller.abort();
    unsubscribe();
  };
}
