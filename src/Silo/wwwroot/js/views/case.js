// Case detail: process graph, tasks with their cancel state, resources, measures, history and output, with the
// cancel controls. Live: one SSE stream per case; every event re-reads the case.

import { ApiError, cancelCase, cancelTask, cancelTasks, getCase } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { h, replace } from '../dom.js';
import {
  ACTIVE_TASK_STATUSES, CLOSED_CASE_STATUSES, RESOURCE_STATUSES, TASK_STATUSES,
  age, between, dateTime, duration, elapsed, json, label, number, time, usage,
} from '../format.js';
import { renderGraph } from '../graph.js';
import { openEventStream } from '../sse.js';
import { confirmHoldDialog, overrideHoldDialog, purgeDialog, reasonField } from './case-dialogs.js';

export function mountCase(main, { match }, ctx) {
  const caseId = decodeURIComponent(match[1]);
  const selected = new Set();
  const openDetails = new Set();
  let current = null;
  let definition = null;
  let definitionMissing = false;
  let loadError = null;
  let inFlight = false;
  let again = false;
  let closed = false;
  let highlighted = null;
  ctx.setTitle(`Case ${caseId}`);

  const streamState = h('span.live.small', { 'data-state': 'connecting' }, h('span.live-dot', { 'aria-hidden': 'true' }), h('span.live-text', 'connecting'));
  const content = h('div.case-content', h('p', 'Loading…'));
  main.append(
    h('nav.breadcrumb', { 'aria-label': 'Breadcrumb' }, h('a', { href: '/cases', 'data-link': true }, 'Cases'), h('span', { 'aria-hidden': 'true' }, ' / '), caseId),
    h('div.page-head', h('h1', { tabindex: -1 }, 'Case ', h('span.mono', caseId)), streamState),
    content);

  async function refresh() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      do {
        again = false;
        try {
          current = await getCase(caseId);
          loadError = null;
          await ensureDefinition();
        } catch (error) {
          loadError = error;
        }
        if (closed) {
          return;
        }
        render();
      } while (again && !closed);
    } finally {
      inFlight = false;
    }
  }

  async function ensureDefinition() {
    // Looked up once per process name: a definition that is not there is not asked for again on every event.
    if (definition?.name === current?.process || !current?.process || definitionMissing === current.process) {
      return;
    }
    try {
      let list = await ctx.processes();
      definition = list.find((p) => p.name === current.process) ?? null;
      if (!definition) {
        list = await ctx.processes({ refresh: true });
        definition = list.find((p) => p.name === current.process) ?? null;
      }
    } catch {
      definition = null;
    }
    definitionMissing = definition ? false : current.process;
  }

  const stream = openEventStream(`/api/v1/cases/${encodeURIComponent(caseId)}/events`, {
    onEvent: () => refresh(),
    onOpen: () => refresh(),
    onState(state) {
      streamState.dataset.state = state;
      streamState.querySelector('.live-text').textContent = state === 'open' ? 'live' : state === 'ended' ? 'case closed' : state;
    },
    // A closed case's stream may end for good; anything else that ends is a restart or a network fault.
    reconnectAfterEnd: () => !CLOSED_CASE_STATUSES.has(current?.status),
  });
  refresh();

  function canCancel() {
    return ctx.session.canCancel;
  }

  function tasks() {
    return Array.isArray(current?.tasks) ? current.tasks.filter((t) => t && (t.taskId || t.node)) : [];
  }

  function taskOf(nodeId) {
    return tasks().find((t) => (t.node ?? t.taskId) === nodeId || t.taskId === nodeId);
  }

  function nodeOf(task) {
    return definition?.nodes?.find((n) => n.id === (task.node ?? task.taskId));
  }

  function cancellable(task) {
    const node = nodeOf(task);
    const isJoin = node ? !!node.join : !task.agent && !task.agentId;
    // A fallback that has not started runs only if its source is cancelled: nothing to cancel there yet.
    const idleFallback = task.status === 'pending' && (definition?.nodes ?? []).some((n) => n.onCancel === (task.node ?? task.taskId));
    return canCancel() && !CLOSED_CASE_STATUSES.has(current.status) && ACTIVE_TASK_STATUSES.has(task.status) && !isJoin && !idleFallback;
  }

  function render() {
    const focusedId = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : null;
    for (const el of content.querySelectorAll('details[data-key]')) {
      if (el.open) {
        openDetails.add(el.dataset.key);
      } else {
        openDetails.delete(el.dataset.key);
      }
    }
    if (!current) {
      const notFound = loadError instanceof ApiError && loadError.status === 404;
      replace(content, h('p.error-box', { role: 'alert' }, notFound ? `There is no case "${caseId}".` : `Could not load the case: ${loadError?.message ?? 'unknown error'}`));
      return;
    }
    for (const id of [...selected]) {
      const task = tasks().find((t) => t.taskId === id);
      if (!task || !cancellable(task)) {
        selected.delete(id);
      }
    }
    replace(content,
      loadError ? h('p.error-box', { role: 'alert' }, `Showing the last state read; reloading failed: ${loadError.message}`) : null,
      summarySection(),
      alertsSection(),
      holdBanner(),
      graphSection(),
      tasksSection(),
      h('div.columns', resourcesSection(), measuresSection()),
      outputSection(),
      historySection());
    if (focusedId) {
      const target = document.getElementById(focusedId);
      if (target) {
        target.focus({ preventScroll: true });
      } else {
        content.querySelector('h2')?.focus?.({ preventScroll: true });
      }
    }
  }

  function summarySection() {
    const c = current;
    const cancel = c.cancel;
    const controls = [];
    if (canCancel()) {
      if (c.status === 'running') {
        controls.push(h('button.button.danger', { type: 'button', id: 'cancel-case', onclick: () => cancelCaseDialog('standard') }, 'Cancel case…'));
      } else if (c.status === 'cancelling') {
        controls.push(h('button.button.danger', { type: 'button', id: 'force-cancel-case', onclick: () => cancelCaseDialog('force') }, 'Force cancel…'));
      }
    }
    if (ctx.session.canPurge && CLOSED_CASE_STATUSES.has(c.status) && !c.redactedAt) {
      controls.push(h('button.button.danger', { type: 'button', id: 'purge-case', onclick: () => purgeDialog(caseId, ctx, refresh) }, 'Erase payloads…'));
    }
    return h('section.card.summary', { 'aria-labelledby': 'summary-title' },
      h('div.summary-head',
        h('h2.sr-only', { id: 'summary-title' }, 'Summary'),
        h(`span.badge.large.status-${c.status}`, { id: 'case-status', 'data-status': c.status }, label(c.status)),
        h('dl.facts',
          fact('Process', c.process ?? '—'),
          fact('Created', dateTime(c.createdAt)),
          fact('Ended', dateTime(c.endedAt)),
          fact('Duration', c.endedAt ? between(c.createdAt, c.endedAt) : h('span', { 'data-since': c.createdAt, 'data-since-format': 'duration' }, elapsed(c.createdAt)))),
        controls.length ? h('div.controls', controls) : null),
      cancel ? h('div.cancel-request', { id: 'case-cancel' },
        h('strong', `${cancel.mode === 'force' ? 'Force' : 'Standard'} cancel`),
        ` requested by ${cancel.requestedBy ?? 'unknown'} at ${time(cancel.requestedAt)}`,
        cancel.reason ? h('span', ' — ', h('q.reason', cancel.reason)) : null,
        cancel.holdUntil ? h('span', ` · hold until ${time(cancel.holdUntil)}`) : null,
        cancel.executedAt ? h('span', ` · executed ${time(cancel.executedAt)}`) : null,
        cancel.overriddenAt ? h('span', ` · overridden by ${cancel.overriddenBy ?? 'unknown'} at ${time(cancel.overriddenAt)}`) : null) : null,
      // Data minimization: the payloads are gone, the history stays with its payloads redacted.
      c.redactedAt ? h('div.redaction', { id: 'case-redacted' },
        h('strong', 'Payloads erased'),
        ` at ${time(c.redactedAt)} by ${c.redactedBy ?? 'unknown'}`,
        h('span.muted', ' — input, outputs, checkpoints and resource details; the history keeps every event with its payloads redacted')) : null);
  }

  // Events that call for an administrator (refused cancels, unresponsive agents, unreleased resources); none of
  // them pauses the case.
  function alertsSection() {
    const list = Array.isArray(current.alerts) ? current.alerts : [];
    if (list.length === 0) {
      return null;
    }
    return h('section.card.alerts', { id: 'case-alerts', role: 'region', 'aria-labelledby': 'alerts-title' },
      h('h2', { id: 'alerts-title' }, `Alerts (${list.length})`),
      h('ul.alert-list', list.map((event) => h('li', { 'data-type': event.type },
        h('time', { datetime: event.at, title: dateTime(event.at) }, time(event.at)),
        ' ',
        h('strong', label(event.type)),
        event.taskId ? h('span.mono.small', ` ${event.taskId}`) : null,
        h('span', ` — ${event.reason ?? ''}`),
        event.detail?.action ? h('span.muted', ` (${label(event.detail.action)})`) : null))));
  }

  function holdBanner() {
    if (current.status !== 'cancel_pending') {
      return null;
    }
    const until = current.cancel?.holdUntil;
    return h('section.card.hold', { role: 'region', 'aria-labelledby': 'hold-title' },
      h('h2', { id: 'hold-title' }, 'Cancel on hold'),
      h('p', 'A Cancel Case is waiting for confirmation. ',
        until ? ['It runs by itself at ', h('strong', time(until)), ' unless someone overrides it.'] : 'It runs when the hold ends unless someone overrides it.'),
      canCancel() ? h('div.controls',
        h('button.button.danger', { type: 'button', id: 'confirm-cancel', onclick: () => confirmHoldDialog(caseId, reportResult) }, 'Confirm cancel now…'),
        h('button.button', { type: 'button', id: 'override-cancel', onclick: () => overrideHoldDialog(caseId, ctx, refresh) }, 'Override: keep the case running…')) : null);
  }

  function graphSection() {
    // A built-in join may have no task entry; a completed case has necessarily passed through its terminal join.
    const terminal = (id) => definition && !(definition.edges ?? []).some((e) => (Array.isArray(e) ? e[0] : e?.from) === id);
    const statusOf = (id) => taskOf(id)?.status
      ?? (current.status === 'completed' && definition?.nodes?.find((n) => n.id === id)?.join && terminal(id) ? 'completed' : undefined);
    let graph;
    if (definition) {
      graph = renderGraph(definition, statusOf, selectNode);
    } else {
      const nodes = tasks().map((t) => ({ id: t.node ?? t.taskId, agent: t.agent ?? '' }));
      graph = renderGraph({ name: current.process, nodes, edges: [] }, statusOf, selectNode);
    }
    return h('section.card', { 'aria-labelledby': 'graph-title' },
      h('div.card-head', h('h2', { id: 'graph-title' }, 'Process'),
        h('span.muted', definition ? definition.name : definitionMissing ? `definition of "${current.process}" not found; tasks only` : '')),
      h('div.graph-wrap', graph),
      legend());
  }

  function legend() {
    return h('ul.legend.graph-legend', { 'aria-label': 'Legend' },
      TASK_STATUSES.map((status) => h('li', h(`span.swatch.status-${status}`), label(status))),
      h('li', h('span.swatch.none'), 'not started'),
      h('li', h('span.swatch.cancel-edge'), 'cancel path (onCancel)'));
  }

  function selectNode(nodeId) {
    const rowEl = document.getElementById(`task-row-${nodeId}`);
    if (!rowEl) {
      return;
    }
    highlighted = nodeId;
    content.querySelectorAll('tr.highlight').forEach((el) => el.classList.remove('highlight'));
    rowEl.classList.add('highlight');
    rowEl.scrollIntoView({ block: 'center', behavior: 'smooth' });
    (rowEl.querySelector('input, button') ?? rowEl.querySelector('th'))?.focus?.({ preventScroll: true });
  }

  function tasksSection() {
    const list = tasks();
    const anyCancellable = list.some(cancellable);
    const showSelect = canCancel() && anyCancellable;
    const bulk = showSelect ? h('button.button.danger', {
      type: 'button', id: 'cancel-selected', disabled: selected.size === 0, onclick: cancelSelectedDialog,
    }, `Cancel selected tasks (${selected.size})`) : null;
    return h('section.card', { 'aria-labelledby': 'tasks-title' },
      h('div.card-head', h('h2', { id: 'tasks-title' }, 'Tasks'), bulk),
      list.length === 0 ? h('p.muted', 'No tasks yet.') : h('div.table-wrap', h('table.tasks',
        h('thead', h('tr',
          showSelect ? h('th', { scope: 'col' }, h('span.sr-only', 'Select')) : null,
          h('th', { scope: 'col' }, 'Task'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Agent'),
          h('th', { scope: 'col' }, 'Attempt'),
          h('th', { scope: 'col' }, 'Heartbeat'),
          h('th', { scope: 'col' }, 'Usage'),
          h('th', { scope: 'col' }, 'Cancel state'),
          canCancel() ? h('th', { scope: 'col' }, h('span.sr-only', 'Actions')) : null)),
        h('tbody', list.map((task) => taskRow(task, showSelect))))));
  }

  function taskRow(task, showSelect) {
    const id = task.taskId ?? task.node;
    const node = nodeOf(task);
    const agentType = task.agent ?? node?.agent ?? (node?.join ? `join: ${node.join}` : '');
    const heartbeat = task.lastHeartbeatAt ?? task.heartbeatAt ?? task.lastHeartbeat;
    const canThis = cancellable(task);
    return h('tr', { id: `task-row-${id}`, 'data-task': id, class: highlighted === id ? 'highlight' : undefined },
      showSelect ? h('td', canThis ? h('input', {
        type: 'checkbox', id: `select-${id}`, checked: selected.has(id), 'aria-label': `Select task ${id}`,
        onchange: (event) => {
          if (event.target.checked) {
            selected.add(id);
          } else {
            selected.delete(id);
          }
          const button = document.getElementById('cancel-selected');
          if (button) {
            button.disabled = selected.size === 0;
            button.textContent = `Cancel selected tasks (${selected.size})`;
          }
        },
      }) : null) : null,
      h('th', { scope: 'row' }, h('span.mono', id), node?.onCancel ? h('div.muted.small', `on cancel → ${node.onCancel}`) : null,
        task.error ? h('div.error-text.small', task.error) : null),
      h('td', h(`span.badge.status-${task.status}`, { 'data-field': 'status' }, label(task.status))),
      h('td', h('div', agentType || '—'), task.agentId ? h('div.muted.small.mono', task.agentId) : null),
      h('td.num', task.attempt ?? '—'),
      h('td', heartbeat ? h('span', { 'data-since': heartbeat, title: dateTime(heartbeat) }, age(heartbeat)) : '—'),
      h('td', h('div', usage(task.usage)), task.estimate ? h('div.muted.small', `of est. ${usage(task.estimate)}`) : null),
      h('td', cancelState(task)),
      canCancel() ? h('td', canThis ? h('button.button.small.danger-outline', {
        type: 'button', id: `cancel-task-${id}`, onclick: () => cancelTaskDialog(id),
      }, 'Cancel task…') : null) : null);
  }

  function cancelState(task) {
    const cancel = task.cancel;
    if (!cancel) {
      return h('span.muted', '—');
    }
    const level = Number(cancel.escalationLevel ?? 0);
    const items = [
      h('li', h('span.label', 'requested '), time(cancel.requestedAt), cancel.requestedBy ? ` by ${cancel.requestedBy}` : '', cancel.mode ? ` (${cancel.mode})` : ''),
    ];
    if (cancel.signalledAt) {
      items.push(h('li', h('span.label', 'signalled '), `+${between(cancel.requestedAt, cancel.signalledAt)}`));
    }
    if (cancel.deliveredAt) {
      items.push(h('li', h('span.label', 'delivered '), `+${between(cancel.requestedAt, cancel.deliveredAt)}`));
    }
    items.push(cancel.ackedAt
      ? h('li.ok', { 'data-field': 'acked' }, h('span.label', 'acknowledged '), `+${between(cancel.requestedAt, cancel.ackedAt)}`)
      : h('li.waiting', { 'data-field': 'acked' }, h('span.label', 'acknowledged '), 'not yet'));
    items.push(h(`li${level > 0 ? '.warn' : ''}`, { 'data-field': 'escalation' }, h('span.label', 'escalation level '), String(level)));
    if (cancel.fenced) {
      items.push(h('li', h('span.badge.fenced', { 'data-field': 'fenced' }, 'fenced')));
    }
    if (cancel.reason) {
      items.push(h('li.muted', `“${cancel.reason}”`));
    }
    return h('ul.cancel-state', items);
  }

  function resourcesSection() {
    const list = Array.isArray(current.resources) ? current.resources : [];
    const counts = RESOURCE_STATUSES.map((status) => [status, list.filter((r) => r.status === status).length]).filter(([, n]) => n);
    return h('section.card', { 'aria-labelledby': 'resources-title' },
      h('div.card-head', h('h2', { id: 'resources-title' }, 'Resources'),
        h('span.muted', counts.map(([status, n]) => `${n} ${label(status)}`).join(' · '))),
      list.length === 0 ? h('p.muted', 'No resources registered.') : h('div.table-wrap', h('table.resources',
        h('thead', h('tr',
          h('th', { scope: 'col' }, 'Resource'),
          h('th', { scope: 'col' }, 'Kind'),
          h('th', { scope: 'col' }, 'Task'),
          h('th', { scope: 'col' }, 'Release'))),
        h('tbody', list.map((r) => h('tr', { 'data-resource': r.resourceId },
          h('th', { scope: 'row' }, h('span.mono', r.resourceId)),
          h('td', r.kind ?? '—'),
          h('td.mono', r.taskId ?? '—'),
          h('td', h(`span.badge.resource-${r.status}`, { 'data-field': 'status' }, label(r.status)),
            r.attempts ? h('span.muted.small', ` ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`) : null,
            r.lastError ? h('div.error-text.small', r.lastError) : null)))))));
  }

  function measuresSection() {
    const m = current.measures;
    if (!m) {
      return h('section.card', { 'aria-labelledby': 'measures-title' }, h('h2', { id: 'measures-title' }, 'Cancellation measures'), h('p.muted', 'None reported.'));
    }
    const perTask = Array.isArray(m.tasks) ? m.tasks : [];
    return h('section.card', { 'aria-labelledby': 'measures-title' },
      h('h2', { id: 'measures-title' }, 'Cancellation measures'),
      h('dl.facts.grid',
        fact('Time to full termination', duration(m.timeToFullTerminationSeconds)),
        fact('Tokens saved', number(m.tokensSaved)),
        fact('GPU seconds saved', number(m.gpuSecondsSaved, 1)),
        fact('Resources released', number(m.resourcesReleased)),
        fact('Resources orphaned', number(m.resourcesOrphaned)),
        fact('False cancellations', number(m.falseCancellations)),
        fact('Refused cancels', number(m.refusedCancels))),
      perTask.length ? h('table.compact',
        h('thead', h('tr', h('th', { scope: 'col' }, 'Task'), h('th', { scope: 'col' }, 'Signal latency'), h('th', { scope: 'col' }, 'Ack latency'), h('th', { scope: 'col' }, 'Fenced'))),
        h('tbody', perTask.map((t) => h('tr',
          h('th', { scope: 'row' }, h('span.mono', t.taskId)),
          h('td.num', duration(t.signalLatencySeconds)),
          h('td.num', duration(t.ackLatencySeconds)),
          h('td', t.fenced ? 'yes' : 'no'))))) : null);
  }

  function outputSection() {
    const output = current.output;
    return h('section.card', { 'aria-labelledby': 'output-title' },
      h('h2', { id: 'output-title' }, 'Output'),
      output === null || output === undefined
        ? h('p.muted', { id: 'case-output' }, CLOSED_CASE_STATUSES.has(current.status) ? 'No output.' : 'No output yet.')
        : h('pre.output', { id: 'case-output', tabindex: 0 }, json(output)));
  }

  function historySection() {
    const list = Array.isArray(current.history) ? current.history : [];
    return h('section.card', { 'aria-labelledby': 'history-title' },
      h('div.card-head', h('h2', { id: 'history-title' }, 'History'), h('span.muted', `${list.length} events`)),
      list.length === 0 ? h('p.muted', 'No events yet.') : h('ol.timeline', list.map((event, index) => {
        const key = String(event.sequence ?? index);
        const reason = event.reason ?? event.detail?.reason;
        const tone = eventTone(event.type);
        return h(`li${tone ? `.${tone}` : ''}`, { 'data-type': event.type },
          h('time', { datetime: event.at, title: dateTime(event.at) }, time(event.at)),
          h('div.event',
            h('div.event-line',
              h('span.event-type', label(event.type)),
              event.taskId ? h('span.mono.small', ` ${event.taskId}`) : null,
              h('span.actor', ` by ${event.actor ?? 'unknown'}`)),
            reason ? h('div.reason', `“${reason}”`) : null,
            event.detail && Object.keys(event.detail).length ? h('details', { 'data-key': key, open: openDetails.has(key) },
              h('summary', { id: `history-detail-${key}` }, 'Detail'),
              h('pre', json(event.detail))) : null));
      })));
  }

  // Controls ----------------------------------------------------------------------------------------------------

  function reportResult(result, what) {
    if (result?.alreadyClosed) {
      ctx.toast(`${what}: already closed${result.status ? ` (${label(result.status)})` : ''}; the request is noted in the history.`);
    } else {
      ctx.toast(`${what}: requested${result?.status ? `, case ${label(result.status)}` : ''}.`, 'success');
    }
    refresh();
  }

  async function cancelCaseDialog(mode) {
    const hold = definition?.cancel?.holdSeconds;
    const grace = definition?.cancel?.gracePeriodSeconds;
    const body = [
      h('p', 'Cancel Case stops every active task of ', h('strong.mono', caseId), ' and releases its resources. The case ends with no output.'),
      h('fieldset.modes',
        h('legend', 'Mode'),
        modeOption('standard', 'Standard', 'Agents get a grace period to stop cleanly, then are forced.', mode === 'standard', current.status === 'cancelling'),
        modeOption('force', 'Force', 'Fence every task at once; no grace period.', mode === 'force', false)),
      reasonField('cancel-reason', 'Why is this case cancelled?'),
      h('div.inline-fields',
        h('div', h('label', { for: 'cancel-hold' }, 'Hold (seconds, optional)'),
          h('input', { id: 'cancel-hold', name: 'holdSeconds', type: 'number', min: 0, step: 'any', placeholder: hold !== undefined ? `default ${hold}` : 'process default', 'aria-describedby': 'hold-help' }),
          h('p.help', { id: 'hold-help' }, 'With a hold the case waits for confirmation and can be overridden.')),
        h('div', h('label', { for: 'cancel-grace' }, 'Grace period (seconds, optional)'),
          h('input', { id: 'cancel-grace', name: 'gracePeriodSeconds', type: 'number', min: 0, step: 'any', placeholder: grace !== undefined ? `default ${grace}` : 'process default' }))),
    ];
    await confirmDialog({
      title: mode === 'force' ? `Force cancel case ${caseId}?` : `Cancel case ${caseId}?`,
      body,
      confirmLabel: 'Cancel case',
      dismissLabel: 'Keep running',
      focus: '#cancel-reason',
      async onConfirm(form) {
        const result = await cancelCase(caseId, {
          mode: form.get('mode') ?? mode,
          reason: form.get('reason'),
          holdSeconds: form.get('holdSeconds'),
          gracePeriodSeconds: form.get('mode') === 'force' ? undefined : form.get('gracePeriodSeconds'),
        });
        reportResult(result, 'Cancel case');
        return result;
      },
    });
  }

  function fallbackNote(ids) {
    const targets = ids.map((id) => nodeOf({ node: id })?.onCancel).filter(Boolean);
    return targets.length ? h('p', 'Then the case follows the cancel path to ', targets.map((t, i) => [i ? ', ' : '', h('strong.mono', t)]), '.') : null;
  }

  async function cancelTaskDialog(taskId) {
    await confirmDialog({
      title: `Cancel task ${taskId}?`,
      body: [h('p', 'Cancel Activity stops this task only; the rest of the case goes on.'), fallbackNote([taskId]), reasonField('task-reason', 'Why cancel this task?')],
      confirmLabel: 'Cancel task',
      dismissLabel: 'Keep running',
      focus: '#task-reason',
      async onConfirm(form) {
        const result = await cancelTask(caseId, taskId, form.get('reason'));
        reportResult(result, `Cancel task ${taskId}`);
        return result;
      },
    });
  }

  async function cancelSelectedDialog() {
    const ids = [...selected];
    if (ids.length === 0) {
      return;
    }
    await confirmDialog({
      title: `Cancel ${ids.length} task${ids.length === 1 ? '' : 's'}?`,
      body: [h('p', 'One cancel signal stops all of: '), h('ul.inline-list', ids.map((id) => h('li.mono', id))), fallbackNote(ids),
        reasonField('tasks-reason', 'Why cancel these tasks?')],
      confirmLabel: `Cancel ${ids.length} task${ids.length === 1 ? '' : 's'}`,
      dismissLabel: 'Keep running',
      focus: '#tasks-reason',
      async onConfirm(form) {
        const result = await cancelTasks(caseId, ids, form.get('reason'));
        selected.clear();
        reportResult(result, `Cancel ${ids.length} tasks`);
        return result;
      },
    });
  }

  return () => {
    closed = true;
    stream.close();
  };
}

// Red for what needs attention (escalations, fencing, orphans, refusals, failures); amber for cancel requests.
function eventTone(type) {
  const value = String(type ?? '');
  if (/escalat|reemit|re_emit|fence|orphan|refused|forbidden|discard|late|alert|fail|dead_letter|kill/i.test(value)) {
    return 'alert';
  }
  if (/cancel_requested|cancel_held|held|override|confirm|force|case_cancelled|cancelling/i.test(value)) {
    return 'cancel';
  }
  return '';
}

function modeOption(value, text, help, checked, disabled) {
  return h('div.radio',
    h('input', { type: 'radio', name: 'mode', value, id: `mode-${value}`, checked, disabled, 'aria-describedby': `mode-${value}-help` }),
    h('div', h('label', { for: `mode-${value}` }, text), h('p.help', { id: `mode-${value}-help` }, help)));
}

function fact(name, value) {
  return h('div.fact', h('dt', name), h('dd', value));
}
