// Draws a process definition as an SVG graph, left to right: each node coloured by its task's status, the
// cancel path (onCancel edges and the fallback nodes they start) drawn dashed and labelled.

import { s } from './dom.js';
import { label } from './format.js';

const NODE_W = 168;
const NODE_H = 58;
const GAP_X = 76;
const GAP_Y = 26;
const PAD = 16;

export function layout(definition) {
  const nodes = (definition?.nodes ?? []).filter((n) => n && n.id);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = (definition?.edges ?? [])
    .map((e) => (Array.isArray(e) ? { from: e[0], to: e[1] } : { from: e?.from, to: e?.to }))
    .filter((e) => ids.has(e.from) && ids.has(e.to));
  const cancelEdges = nodes.filter((n) => n.onCancel && ids.has(n.onCancel)).map((n) => ({ from: n.id, to: n.onCancel, cancel: true }));

  // Nodes reachable only through an onCancel edge form the cancel lane, drawn below the normal flow.
  const incoming = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    incoming.get(e.to).push(e.from);
  }
  const cancelTargets = new Set(cancelEdges.map((e) => e.to));
  const lane = new Map();
  const laneOf = (id, seen = new Set()) => {
    if (lane.has(id)) {
      return lane.get(id);
    }
    if (seen.has(id)) {
      return 'main';
    }
    seen.add(id);
    const preds = incoming.get(id);
    let result;
    if (preds.length === 0) {
      result = cancelTargets.has(id) ? 'cancel' : 'main';
    } else {
      result = preds.every((p) => laneOf(p, seen) === 'cancel') ? 'cancel' : 'main';
    }
    lane.set(id, result);
    return result;
  };
  nodes.forEach((n) => laneOf(n.id));

  // Column: longest path from a start node, counting onCancel edges as edges.
  const all = [...edges, ...cancelEdges];
  const column = new Map(nodes.map((n) => [n.id, 0]));
  for (let round = 0; round < nodes.length; round++) {
    let changed = false;
    for (const e of all) {
      const next = column.get(e.from) + 1;
      if (next > column.get(e.to) && next < nodes.length) {
        column.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) {
      break;
    }
  }

  const columns = Math.max(0, ...column.values()) + 1;
  const byColumn = (laneName) => {
    const groups = Array.from({ length: columns }, () => []);
    for (const n of nodes) {
      if (lane.get(n.id) === laneName) {
        groups[column.get(n.id)].push(n.id);
      }
    }
    return groups;
  };
  const mainGroups = byColumn('main');
  const cancelGroups = byColumn('cancel');
  const mainRows = Math.max(1, ...mainGroups.map((g) => g.length));
  const cancelRows = Math.max(0, ...cancelGroups.map((g) => g.length));

  const position = new Map();
  const place = (groups, rows, top) => {
    groups.forEach((group, col) => {
      const offset = (rows - group.length) / 2;
      group.forEach((id, i) => {
        position.set(id, { x: PAD + col * (NODE_W + GAP_X), y: top + (offset + i) * (NODE_H + GAP_Y) });
      });
    });
  };
  place(mainGroups, mainRows, PAD);
  const cancelTop = PAD + mainRows * (NODE_H + GAP_Y) + (cancelRows ? 10 : 0);
  place(cancelGroups, cancelRows, cancelTop);

  const width = PAD * 2 + columns * NODE_W + (columns - 1) * GAP_X;
  const height = cancelTop + cancelRows * (NODE_H + GAP_Y) - GAP_Y + PAD + (cancelRows ? 0 : GAP_Y - 10);
  return { nodes, edges, cancelEdges, position, lane, width, height: Math.max(height, NODE_H + PAD * 2) };
}

function edgePath(a, b) {
  const x1 = a.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  const x2 = b.x;
  const y2 = b.y + NODE_H / 2;
  const bend = Math.max(30, (x2 - x1) / 2);
  return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}

/**
 * @param definition process definition ({ nodes, edges })
 * @param statusOf (nodeId) => task status string or undefined (not started)
 * @param onSelect optional (nodeId) => void, called when a node is activated by click or keyboard
 */
export function renderGraph(definition, statusOf, onSelect) {
  const g = layout(definition);
  const description = g.nodes.map((n) => `${n.id}: ${label(statusOf(n.id) ?? 'not started')}`).join('; ');
  const svg = s('svg', {
    class: 'graph',
    viewBox: `0 0 ${g.width} ${g.height}`,
    width: g.width,
    height: g.height,
    role: 'group',
    'aria-label': `Process graph of ${definition?.name ?? 'the case'}. ${description}`,
  });
  svg.append(s('defs', null,
    s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' })),
    s('marker', { id: 'arrow-cancel', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head cancel' }))));

  for (const e of g.edges) {
    svg.append(s('path', { class: 'edge', d: edgePath(g.position.get(e.from), g.position.get(e.to)), 'marker-end': 'url(#arrow)' }));
  }
  for (const e of g.cancelEdges) {
    const a = g.position.get(e.from);
    const b = g.position.get(e.to);
    const taken = ['cancelled', 'cancelling'].includes(statusOf(e.from)) && statusOf(e.to);
    svg.append(s('path', {
      class: taken ? 'edge cancel taken' : 'edge cancel',
      d: edgePath(a, b),
      'marker-end': 'url(#arrow-cancel)',
      dataset: { from: e.from, to: e.to },
    }, s('title', null, `on cancel of ${e.from}: start ${e.to}`)));
    const mx = (a.x + NODE_W + b.x) / 2;
    const my = (a.y + b.y) / 2 + NODE_H / 2 - 6;
    svg.append(s('text', { class: 'edge-label cancel', x: mx, y: my, 'text-anchor': 'middle' }, 'on cancel'));
  }

  for (const n of g.nodes) {
    const p = g.position.get(n.id);
    const status = statusOf(n.id);
    const fallback = g.lane.get(n.id) === 'cancel';
    const kind = n.join ? `join: ${n.join}` : (n.agent ?? '');
    const node = s('g', {
      class: ['node', `status-${status ?? 'none'}`, fallback && 'fallback', n.join && 'join'],
      transform: `translate(${p.x} ${p.y})`,
      'data-node': n.id,
      'data-status': status ?? 'none',
      tabindex: onSelect ? 0 : undefined,
      role: onSelect ? 'button' : undefined,
      'aria-label': `${n.id} (${kind || 'node'}): ${label(status ?? 'not started')}${fallback ? ', fallback on the cancel path' : ''}`,
    });
    node.append(
      s('title', null, `${n.id}${kind ? ` — ${kind}` : ''}\nstatus: ${label(status ?? 'not started')}${n.timeoutSeconds ? `\ntimeout: ${n.timeoutSeconds} s` : ''}${n.onCancel ? `\non cancel: ${n.onCancel}` : ''}`),
      s('rect', { class: 'node-box', width: NODE_W, height: NODE_H, rx: n.join ? 24 : 8 }),
      s('rect', { class: 'node-band', width: 8, height: NODE_H - 2, x: 1, y: 1, rx: 4 }),
      s('text', { class: 'node-id', x: 18, y: 21 }, truncate(n.id, 18)),
      s('text', { class: 'node-kind', x: 18, y: 36 }, truncate(kind, 22)),
      s('text', { class: 'node-status', x: 18, y: 50 }, label(status ?? 'not started') + (fallback ? ' · fallback' : '')),
    );
    if (onSelect) {
      node.addEventListener('click', () => onSelect(n.id));
      node.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(n.id);
        }
      });
    }
    svg.append(node);
  }
  return svg;
}

function truncate(text, max) {
  const value = String(text ?? '');
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
