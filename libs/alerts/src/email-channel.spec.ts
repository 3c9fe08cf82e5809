import { StorySummary } from '@monitor/contracts';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OutboundAddressPolicy } from '@monitor/outbound-http';
import { DeliveryError } from './alert-errors';
import { EmailChannel, renderEmail } from './email-channel';
import { PushMessage } from './push-channel';
import { Subscription, parseSubscriptionInput } from './subscription';

const hostile: PushMessage = {
  kind: 'alert',
  id: 'al42',
  alert: {
    schema: 'alerts.v1', id: 'al42', kind: 'article', subscriptionId: 's1', ownerKeyId: 'k1', articleId: 'a' + '4'.repeat(31),
    title: 'Опиаты <script>alert(1)</script> & "heroin"\r\nBcc: victim@example.org',
    url: 'https://news.example.org/a?x=1&y=<2>', sourceId: 'unodc', language: 'en', publishedAt: '2025-03-01T08:00:00Z',
    topics: [{ id: 'afghanistan-opiates', score: 4.5, evidence: [{ term: '<b>opium</b>', field: 'text', start: 0, end: 5 }] }],
    createdAt: '2025-03-01T09:00:00Z',
  },
};
const subscription: Subscription = {
  id: 's1', ownerKeyId: 'k1', createdAt: '', updatedAt: '',
  ...parseSubscriptionInput({ name: 'Desk <A>', channels: { email: { to: 'analyst@example.org' } } }),
};

// Quoted-printable is how nodemailer sends non-ASCII text; decoding it is all the test needs of MIME.
function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('renderEmail', () => {
  it('says a story alert is a story, with its languages and number of sources, and links the article', () => {
    const story: StorySummary = { id: 'st1', title: 'SCO drug-control chiefs meet in Bishkek', articleCount: 3, languages: ['en', 'ru', 'zh'], sources: ['wire-en', 'wire-ru', 'wire-zh'], topics: ['anti-drug-cooperation'], firstSeen: '2025-03-01T08:00:00Z', lastSeen: '2025-03-01T13:00:00Z' };
    const asStory: Extract<PushMessage, { kind: 'alert' }> = { kind: 'alert', id: 'al7', alert: { ...(hostile as Extract<PushMessage, { kind: 'alert' }>).alert, id: 'al7', kind: 'story', title: 'Совещание ШОС', storyId: 'st1', story } };
    const r = renderEmail(asStory, subscription);
    expect(r.subject).toBe('[Afghanistan and opiates] Story: Совещание ШОС (en, ru, zh · 3 sources)');
    expect(r.text).toContain('Story: 3 articles in en, ru, zh from 3 sources: SCO drug-control chiefs meet in Bishkek');
    expect(r.text).toContain('Link: https://news.example.org/a?x=1&y=<2>');
    expect(r.html).toContain('Story: <a href="https://news.example.org/a?x=1&amp;y=%3C2%3E">');
    expect(r.html).toContain('3 articles in en, ru, zh from 3 sources');
    const update = renderEmail({ kind: 'alert', id: 'al8', alert: { ...asStory.alert, id: 'al8', kind: 'story.updated' } }, subscription);
    expect(update.subject).toBe('[Afghanistan and opiates] Story update: Совещание ШОС');
    // A digest says the same of each of its alerts.
    const digest = renderEmail({ kind: 'digest', id: 'dg1', period: { mode: 'daily', from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z' }, alerts: [asStory.alert, (hostile as Extract<PushMessage, { kind: 'alert' }>).alert] }, subscription);
    expect(digest.text).toContain('Story: Совещание ШОС');
    expect(digest.text.match(/Story: 3 articles/g)).toHaveLength(1);
  });

  it('escapes every feed text in the HTML and keeps headers on one line', () => {
    const r = renderEmail(hostile, subscription, () => 'UNODC <Vienna>');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.subject).toContain('[Afghanistan and opiates]');
    expect(r.html).not.toContain('<script>');
    expect(r.html).not.toContain('<b>opium');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;heroin&quot;');
    expect(r.html).toContain('UNODC &lt;Vienna&gt;');
    expect(r.html).toContain('href="https://news.example.org/a?x=1&amp;y=%3C2%3E"');
    expect(r.html).toContain('Desk &lt;A&gt;');
    expect(r.text).toContain('Source: UNODC <Vienna>');
    expect(r.text).toContain('Afghanistan and opiates (score 4.5): <b>opium</b> (text)');
  });

  it('names the source from the alert itself, so a replica that never saw the article names it too', () => {
    const r = renderEmail({ ...hostile, alert: { ...hostile.alert, sourceName: 'UNODC Vienna' } }, subscription);
    expect(r.text).toContain('Source: UNODC Vienna');
    expect(r.html).toContain('UNODC Vienna');
    expect(renderEmail(hostile, subscription).text).toContain('Source: unodc');
  });

  it('does not link javascript: URLs', () => {
    const r = renderEmail({ ...hostile, alert: { ...hostile.alert, url: 'javascript:alert(1)' } } as PushMessage, subscription);
    expect(r.html).not.toContain('javascript:');
  });

  it('renders a digest as one message listing every alert', () => {
    const second = { ...hostile.alert, id: 'al43', title: 'Precursor shipment stopped' };
    const r = renderEmail({ kind: 'digest', id: 'dg1', period: { mode: 'daily', from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z' }, alerts: [hostile.alert, second] }, subscription);
    expect(r.subject).toBe('Daily digest: 2 alerts for Desk <A>');
    expect(r.text).toContain('Precursor shipment stopped');
    expect(r.html.match(/<h2/g)).toHaveLength(2);
  });
});

describe('EmailChannel against a real SMTP server on loopback', () => {
  let server: SMTPServer;
  let port: number;
  const inbox: Array<{ from: string; to: string[]; raw: string }> = [];
  let reject = false;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (reject) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends plain text and HTML with headline, source, topics and evidence', async () => {
    const channel = new EmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Monitor <alerts@monitor.example>', sourceName: () => 'UNODC' });
    try {
      await channel.send(hostile, subscription);
    } finally {
      channel.close();
    }
    expect(inbox).toHaveLength(1);
    const mail = inbox[0];
    expect(mail.from).toBe('alerts@monitor.example');
    expect(mail.to).toEqual(['analyst@example.org']);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.raw).toMatch(/X-Monitor-Delivery: al42/);
    const headerSection = mail.raw.split(/\r?\n\r?\n/)[0];
    expect(headerSection).not.toMatch(/^Bcc:/im);
    expect(headerSection).toMatch(/^Subject: /m);
    const [plain, html] = decodeQuotedPrintable(mail.raw).split('Content-Type: text/html');
    expect(plain).toContain('Source: UNODC');
    expect(plain).toContain('Опиаты');
    expect(plain).toContain('Afghanistan and opiates (score 4.5)');
    expect(html).toContain('Опиаты &lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Afghanistan and opiates</strong>');
  });

  it('reports a refused recipient as a permanent failure', async () => {
    reject = true;
    const channel = new EmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'alerts@monitor.example' });
    try {
      const error = await channel.send(hostile, subscription).catch((e) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ retriable: false });
    } finally {
      reject = false;
      channel.close();
    }
  });

  it('connects to the SMTP host only when the address policy accepts it', async () => {
    const before = inbox.length;
    const strict = new EmailChannel({ smtpUrl: `smtp://localhost:${port}`, from: 'alerts@monitor.example', addressPolicy: new OutboundAddressPolicy() });
    try {
      const error = await strict.send(hostile, subscription).catch((e) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ retriable: false, message: expect.stringContaining('localhost resolves to') });
    } finally {
      strict.close();
    }
    expect(inbox).toHaveLength(before);
    const allowed = new EmailChannel({ smtpUrl: `smtp://localhost:${port}`, from: 'alerts@monitor.example', addressPolicy: new OutboundAddressPolicy([`localhost:${port}`]) });
    try {
      await allowed.send(hostile, subscription);
    } finally {
      allowed.close();
    }
    expect(inbox).toHaveLength(before + 1);
  });
});
