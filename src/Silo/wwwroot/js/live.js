// The dashboard-wide stream of case changes (GET /api/v1/events: { caseId, process, status, type }), opened once
// after login and shared by every view, and the metrics samples taken whenever cases change.

import { metrics } from './api.js';
import { openEventStream } from './sse.js';

export function createHub() {
  const listeners = new Set();
  const stateListeners = new Set();
  let stream = null;
  let state = 'idle';

  const setState = (next) => {
    state = next;
    stateListeners.forEach((fn) => fn(next));
  };

  return {
    get state() {
      return state;
    },
    start() {
      if (stream) {
        return;
      }
      stream = openEventStream('/api/v1/events', {
        onEvent(event) {
          let change;
          try {
            change = JSON.parse(event.data);
          } catch {
            return;
          }
          if (!change || typeof change !== 'object') {
            return;
          }
          change.type ??= event.type;
          listeners.forEach((fn) => fn(change));
        },
        onOpen() {
          // After a reconnect the views reload: events missed while disconnected are not replayed for this stream.
          listeners.forEach((fn) => fn({ type: 'stream_opened' }));
        },
        onState: setState,
      });
    },
    stop() {
      stream?.close();
      stream = null;
      setState('idle');
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    onState(fn) {
      stateListeners.add(fn);
      fn(state);
      return () => stateListeners.delete(fn);
    },
  };
}

const MAX_SAMPLES = 720;
const MIN_INTERVAL_MS = 1000;

/** Metrics over time, sampled on start, on every case change (at most once a second) and on demand. */
export function createMetricsStore() {
  const samples = [];
  const listeners = new Set();
  let latest = null;
  let error = null;
  let lastRun = 0;
  let timer = null;
  let running = false;

  async function sample() {
    if (running) {
      return;
    }
    running = true;
    lastRun = Date.now();
    try {
      latest = await metrics();
      error = null;
      samples.push({ t: Date.now(), m: latest });
      if (samples.length > MAX_SAMPLES) {
        samples.shift();
      }
    } catch (failure) {
      error = failure;
    } finally {
      running = false;
    }
    listeners.forEach((fn) => fn());
  }

  return {
    get samples() {
      return samples;
    },
    get latest() {
      return latest;
    },
    get error() {
      return error;
    },
    sample,
    // Coalesces bursts of case changes into one request a second.
    changed() {
      if (timer) {
        return;
      }
      const wait = Math.max(0, MIN_INTERVAL_MS - (Date.now() - lastRun));
      timer = setTimeout(() => {
        timer = null;
        sample();
      }, wait);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    reset() {
      samples.length = 0;
      latest = null;
      clearTimeout(timer);
      timer = null;
    },
  };
}
