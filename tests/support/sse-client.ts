import { request } from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A minimal Server-Sent Events client over node:http, written for the tests so they read the
 * stream byte for byte as a browser would (the `eventsource` package that would do this needs
 * Node 22 in its current version).
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  private closeRequest?: () => void;
  status = 0;

  static async connect(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    await client.open(url, headers);
    return client;
  }

  private open(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let index: number;
          while ((index = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, index);
            buffer = buffer.slice(index).replace(/^\r?\n\r?\n/, '');
            const event: SseEvent = { data: '' };
            const data: string[] = [];
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith(':') || line === '') continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'data') data.push(value);
              else if (field === 'id') event.id = value;
              else if (field === 'event') event.event = value;
            }
            if (data.length === 0 && !event.id) continue;
            event.data = data.join('\n');
            this.events.push(event);
          }
        });
        resolve();
      });
      req.on('error', reject);
      req.end();
      this.closeRequest = () => req.destroy();
    });
  }

  close(): void {
    this.closeRequest?.();
  }
}
