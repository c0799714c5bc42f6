// Server-sent events over fetch(), because EventSource cannot send the Authorization header.
// SseParser follows the WHATWG event-stream grammar: lines end in CRLF, LF or CR; "field: value" with one optional
// space; data lines join with "\n"; lines starting with ":" are comments; a blank line dispatches the event.

import { authHeaders, unauthorized } from './api.js';

export class SseParser {
  constructor(onEvent, onComment = () => {}) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.buffer = '';
    this.skipLineFeed = false;
    this.data = [];
    this.eventType = '';
    this.lastEventId = '';
    this.retry = undefined;
  }

  push(chunk) {
    const text = this.buffer + chunk;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (code === 10) {
          start = i + 1;
          continue;
        }
      }
      if (code === 10 || code === 13) {
        this.line(text.slice(start, i));
        start = i + 1;
        this.skipLineFeed = code === 13;
      }
    }
    this.buffer = text.slice(start);
  }

  // The stream ended: an event without its closing blank line is discarded, as the standard says.
  end() {
    this.buffer = '';
    this.data = [];
    this.eventType = '';
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.retry = Number(value);
        }
        break;
      default:
        break;
    }
  }

  dispatch() {
    if (this.data.length === 0) {
      this.eventType = '';
      return;
    }
    const event = { type: this.eventType || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId };
    this.data = [];
    this.eventType = '';
    this.onEvent(event);
  }
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10000;

/**
 * Opens a server-sent event stream and keeps it open: reconnects by itself with exponential backoff (reset once a
 * connection opens) and Last-Event-ID. onState receives 'connecting', 'open', 'reconnecting', 'ended' (the server
 * closed the stream and reconnectAfterEnd() said no) or 'unavailable'
 * (the server has no such stream for this key: 403/404/405/501, not retried). A 401 logs out. Returns { close() }.
 */
export function openEventStream(url, { onEvent, onOpen = () => {}, onState = () => {}, reconnectAfterEnd = () => true }) {
  let closed = false;
  let controller = null;
  let wakeUp = null;
  let lastEventId = '';
  let retryMs = null;
  let delay = FIRST_RETRY_MS;

  const wait = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wakeUp = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  async function run() {
    onState('connecting');
    while (!closed) {
      controller = new AbortController();
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (lastEventId) {
          headers['Last-Event-ID'] = lastEventId;
        }
        const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401) {
          closed = true;
          unauthorized();
          return;
        }
        if ([403, 404, 405, 501].includes(response.status)) {
          await response.body?.cancel();
          onState('unavailable');
          return;
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          throw new Error(`HTTP ${response.status}`);
        }
        delay = FIRST_RETRY_MS;
        onState('open');
        onOpen();
        const parser = new SseParser((event) => {
          lastEventId = event.lastEventId || lastEventId;
          if (closed) {
            return;
          }
          try {
            onEvent(event);
          } catch (error) {
            console.warn('event handler failed', error);
          }
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done || closed) {
            break;
          }
          parser.push(value);
        }
        parser.end();
        retryMs = parser.retry ?? retryMs;
        // The server closed the stream cleanly: the owner may know there is nothing more to come (a closed case).
        if (!closed && !reconnectAfterEnd()) {
          onState('ended');
          return;
        }
      } catch {
        // A dropped connection is expected (server restart, network); the loop below reconnects.
      }
      if (closed) {
        return;
      }
      onState('reconnecting');
      await wait(retryMs ?? delay);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }

  run();
  return {
    close() {
      closed = true;
      controller?.abort();
      wakeUp?.();
    },
  };
}
