// Reads a text/event-stream body as events (the framing of the HTML server-sent events spec).

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }

    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const event = parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) {
        yield event;
      }
    }
  }
}

function parse(block: string): ServerSentEvent | undefined {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) {
      continue;
    }

    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") {
      event = value;
    } else if (field === "data") {
      data.push(value);
    } else if (field === "id") {
      id = value;
    }
  }

  return data.length > 0 ? { event, data: data.join("\n"), ...(id === undefined ? {} : { id }) } : undefined;
}

/** The first event of the stream that satisfies the predicate; throws if the stream ends first. */
export async function firstEvent<T>(events: AsyncGenerator<ServerSentEvent>, pick: (event: ServerSentEvent) => T | undefined): Promise<T> {
  for await (const event of events) {
    const picked = pick(event);
    if (picked !== undefined) {
      return picked;
    }
  }

  throw new Error("the event stream ended before the awaited event");
}
