import type { ServerResponse } from 'node:http';

export interface OpsStreamOptions {
  /** Builds the document sent to every client. */
  build: () => Promise<unknown>;
  /** How often the document is rebuilt while anyone listens; 2 s by default. */
  intervalMs?: number;
  /** A comment line this often keeps proxies from closing a quiet stream; 15 s by default. */
  heartbeatMs?: number;
}

/**
 * Server-Sent Events that push the ops overview to every open dashboard: one rebuild per tick
 * however many clients listen, sent only when it changed (the timestamp aside), so an idle
 * monitor costs one build every couple of seconds and no traffic. Nobody listening: no timer.
 */
export class OpsStream {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private last: { body: string; fingerprint: string } | null = null;
  private building = false;
  private seq = 0;

  constructor(private readonly options: OpsStreamOptions) {}

  serve(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    const drop = () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.idle();
    };
    res.on('close', drop);
    res.on('error', drop);
    if (this.last) res.write(this.frame(this.last.body));
    this.wake();
    void this.tick();
  }

  clientCount(): number {
    return this.clients.size;
  }

  close(): void {
    for (const res of [...this.clients]) res.end();
    this.clients.clear();
    this.idle();
  }

  private wake(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 2_000);
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': heartbeat\n\n');
    }, this.options.heartbeatMs ?? 15_000);
    this.timer.unref();
    this.heartbeat.unref();
  }

  private idle(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = this.heartbeat = null;
  }

  private async tick(): Promise<void> {
    if (this.building || this.clients.size === 0) return;
    this.building = true;
    try {
      const document = await this.options.build();
      const body = JSON.stringify(document);
      const fingerprint = JSON.stringify({ ...(document as object), generatedAt: undefined });
      if (this.last?.fingerprint === fingerprint) return;
      this.last = { body, fingerprint };
      for (const res of this.clients) res.write(this.frame(body));
    } catch (error) {
      const message = JSON.stringify({ message: error instanceof Error ? error.message : String(error) });
      for (const res of this.clients) res.write(`event: error-report\ndata: ${message}\n\n`);
    } finally {
      this.building = false;
    }
  }

  private frame(body: string): string {
    return `id: ${++this.seq}\nevent: overview\ndata: ${body}\n\n`;
  }
}
