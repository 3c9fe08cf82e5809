import { interceptors, request } from 'undici';
import { createOutboundAgent } from './outbound-agent';
import { findAddressRefusal, OutboundAddressPolicy, type Resolver } from './ssrf-guard';
import { startLoopbackHttp } from './testing/loopback-http';

const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const resolvingToLoopback: Resolver = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
  options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as never;

describe('createOutboundAgent against a real server on loopback', () => {
  let server: Awaited<ReturnType<typeof startLoopbackHttp>>;
  beforeAll(async () => {
    server = await startLoopbackHttp();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.state.seen = 0;
    server.state.handler = (_req, res) => res.end('secret');
  });

  it('refuses a loopback server by IP literal and by name without an allow-list, before any request is sent', async () => {
    const agent = createOutboundAgent(new OutboundAddressPolicy());
    try {
      for (const url of [`${server.base}/admin`, `http://localhost:${server.port}/admin`]) {
        const refusal = findAddressRefusal(await failureOf(request(url, { dispatcher: agent })));
        expect([url, refusal?.code]).toEqual([url, 'ADDRESS_REFUSED']);
      }
      expect(server.state.seen).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('connects when the allow-list names the host or the host and port, and only that port', async () => {
    for (const entry of ['127.0.0.1', `127.0.0.1:${server.port}`, 'localhost']) {
      const agent = createOutboundAgent(new OutboundAddressPolicy([entry]));
      try {
        const host = entry === 'localhost' ? 'localhost' : '127.0.0.1';
        const response = await request(`http://${host}:${server.port}/`, { dispatcher: agent });
        expect([entry, await response.body.text()]).toEqual([entry, 'secret']);
      } finally {
        await agent.close();
      }
    }
    const otherPort = createOutboundAgent(new OutboundAddressPolicy([`127.0.0.1:${server.port + 1}`]));
    try {
      expect(findAddressRefusal(await failureOf(request(server.base, { dispatcher: otherPort })))).toBeDefined();
    } finally {
      await otherPort.close();
    }
  });

  it('refuses a redirect to loopback even when undici follows it', async () => {
    server.state.handler = (req, res) => {
      if (req.url === '/go') res.writeHead(302, { location: `http://localhost:${server.port}/internal` }).end();
      else res.end('internal');
    };
    const agent = createOutboundAgent(new OutboundAddressPolicy([`127.0.0.1:${server.port}`]));
    try {
      const following = agent.compose(interceptors.redirect({ maxRedirections: 3 }));
      const error = await failureOf(request(`${server.base}/go`, { dispatcher: following }));
      expect(findAddressRefusal(error)).toMatchObject({ host: 'localhost', address: '127.0.0.1' });
      expect(server.state.seen).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it('checks the address at connect time, so a public-looking name resolving to loopback is refused', async () => {
    const agent = createOutboundAgent(new OutboundAddressPolicy([`127.0.0.1:${server.port}`]), { lookup: resolvingToLoopback });
    try {
      const refusal = findAddressRefusal(await failureOf(request(`http://news.example.org:${server.port}/`, { dispatcher: agent })));
      expect(refusal?.message).toBe('news.example.org resolves to 127.0.0.1, a private or loopback address');
      expect(server.state.seen).toBe(0);
    } finally {
      await agent.close();
    }
  });
});
