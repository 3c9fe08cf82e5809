import { HostQueue } from './host-queue';

describe('HostQueue', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  /** Runs a request to `url` that records when (on the fake clock) it started. */
  const request = (queue: HostQueue, url: string, started: Array<[string, number]>, gapMs?: number) =>
    queue.run(
      url,
      async () => {
        started.push([url, Date.now()]);
      },
      gapMs,
    );

  it('keeps the least gap between two requests to one host, and the longer one a request asks for (a Crawl-delay)', async () => {
    const queue = new HostQueue(2000);
    const t0 = Date.now();
    const started: Array<[string, number]> = [];
    const all = Promise.all([
      request(queue, 'https://a.example/1', started),
      request(queue, 'https://a.example/2', started),
      request(queue, 'https://a.example/3', started, 10_000),
      request(queue, 'https://b.example/1', started),
      request(queue, 'https://a.example/4', started, 500),
    ]);
    await jest.advanceTimersByTimeAsync(30_000);
    await all;
    expect(started.map(([url, at]) => [url, at - t0])).toEqual([
      ['https://a.example/1', 0],
      ['https://b.example/1', 0],
      ['https://a.example/2', 2000],
      ['https://a.example/3', 12_000],
      ['https://a.example/4', 14_000],
    ]);
  });
});
