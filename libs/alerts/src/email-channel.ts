import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { Alert } from '@monitor/contracts';
import { connectGuarded, findAddressRefusal, OutboundAddressPolicy } from '@monitor/outbound-http';
import { DeliveryError } from './alert-errors';
import { escapeHtml, evidenceSummary, kindPrefix, safeHref, storySummaryLine, topicLabel } from './alert-html';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailChannelOptions {
  /** An SMTP URL (SMTP_URL), e.g. smtp://user:pass@mail.example.org:587, or a ready transporter. */
  smtpUrl?: string;
  transporter?: Transporter;
  from: string;
  /** Names sources by id in messages; the id is shown when unknown. */
  sourceName?: (sourceId: string) => string | undefined;
  /**
   * The outbound address policy for the SMTP host of `smtpUrl`: when given, the SMTP connection
   * is opened only to an address the policy accepts. Without it nodemailer connects as it likes,
   * which is the default because the SMTP host is the operator's own choice (SMTP_URL), often a
   * relay on loopback, never something a subscriber can name.
   */
  addressPolicy?: OutboundAddressPolicy;
}

/** SMTP's usual ports when the URL names none, as nodemailer chooses them. */
const SMTPS_PORT = 465;
const SUBMISSION_PORT = 587;

/**
 * A transport whose connections go through the address policy. nodemailer has no `lookup` hook
 * (it resolves names itself, with dns.resolve), but its `getSocket` lets a caller hand over a
 * connected socket: the policy resolves and checks the host, the socket goes to the checked
 * address, and nodemailer still does STARTTLS or implicit TLS against the host name.
 */
function guardedTransport(smtpUrl: string, policy: OutboundAddressPolicy): Transporter {
  return nodemailer.createTransport({
    url: smtpUrl,
    getSocket: (options, callback) => {
      const port = Number(options.port) || (options.secure ? SMTPS_PORT : SUBMISSION_PORT);
      connectGuarded(policy, options.host ?? 'localhost', port, { timeoutMs: options.connectionTimeout }).then(
        (connection) => callback(null, { connection }),
        (error: Error) => callback(error),
      );
    },
  });
}

// Subjects are headers: a feed title with line breaks must not add headers of its own.
function oneLine(text: string, max = 180): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function alertText(alert: Alert, source: string): string {
  const lines = [oneLine(kindPrefix(alert) + alert.title, 1000), `Source: ${source}`];
  const story = storySummaryLine(alert);
  if (story) lines.push(oneLine(`Story: ${story}`, 1000));
  if (alert.publishedAt) lines.push(`Published: ${alert.publishedAt}`);
  if (alert.url) lines.push(`Link: ${alert.url}`);
  lines.push('Topics:');
  for (const t of evidenceSummary(alert)) lines.push(`  - ${t.topic} (score ${t.score}): ${t.terms.join(', ') || 'no evidence terms'}`);
  return lines.join('\n');
}

function alertHtml(alert: Alert, source: string): string {
  const href = safeHref(alert.url);
  const title = escapeHtml(oneLine(alert.title, 1000));
  const headline = escapeHtml(kindPrefix(alert)) + (href ? `<a href="${escapeHtml(href)}">${title}</a>` : title);
  const storyLine = storySummaryLine(alert);
  const story = storyLine ? `<p style="margin:0 0 8px">Story: ${escapeHtml(oneLine(storyLine, 1000))}</p>` : '';
  const topics = evidenceSummary(alert)
    .map((t) => `<li><strong>${escapeHtml(t.topic)}</strong> (score ${escapeHtml(String(t.score))}): ${t.terms.map(escapeHtml).join(', ')}</li>`)
    .join('');
  const published = alert.publishedAt ? ` · ${escapeHtml(alert.publishedAt)}` : '';
  return `<h2 style="margin:0 0 4px">${headline}</h2><p style="margin:0 0 8px;color:#555">${escapeHtml(source)}${published}</p>${story}<ul>${topics}</ul>`;
}

/** The email for one alert or one digest: plain text and HTML, every feed text escaped in the HTML. */
export function renderEmail(message: PushMessage, subscription: Subscription, sourceName: (id: string) => string = (id) => id): RenderedEmail {
  const name = subscription.name || subscription.id;
  const sourceOf = (a: Alert) => a.sourceName || sourceName(a.sourceId ?? '') || a.sourceId || 'unknown source';
  const footer = `Subscription: ${name}`;
  if (message.kind === 'alert') {
    const a = message.alert;
    const topic = a.topics[0] ? topicLabel(a.topics[0].id) : 'alert';
    return {
      subject: oneLine(`[${topic}] ${kindPrefix(a)}${a.title}${a.kind === 'story' && a.story ? ` (${a.story.languages.join(', ')} · ${a.story.sources.length} source${a.story.sources.length === 1 ? '' : 's'})` : ''}`),
      text: `${alertText(a, sourceOf(a))}\n\n${footer}\n`,
      html: `<!doctype html><html><body>${alertHtml(a, sourceOf(a))}<hr><p style="color:#777">${escapeHtml(footer)}</p></body></html>`,
    };
  }
  const count = message.alerts.length;
  const heading = `${message.period.mode === 'hourly' ? 'Hourly' : 'Daily'} digest: ${count} alert${count === 1 ? '' : 's'} for ${name}`;
  return {
    subject: oneLine(heading),
    text: `${heading}\n${message.period.from} to ${message.period.to}\n\n${message.alerts.map((a) => alertText(a, sourceOf(a))).join('\n\n')}\n\n${footer}\n`,
    html:
      `<!doctype html><html><body><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message.period.from)} to ${escapeHtml(message.period.to)}</p>` +
      message.alerts.map((a) => alertHtml(a, sourceOf(a))).join('<hr>') +
      `<hr><p style="color:#777">${escapeHtml(footer)}</p></body></html>`,
  };
}

/** Email over SMTP with nodemailer. SMTP 4xx answers and connection errors are retriable; 5xx are not. */
export class EmailChannel implements PushChannelSender {
  readonly channel = 'email' as const;
  private readonly transporter: Transporter;

  constructor(private readonly options: EmailChannelOptions) {
    if (!options.transporter && !options.smtpUrl) throw new Error('EmailChannel needs smtpUrl or transporter');
    this.transporter =
      options.transporter ?? (options.addressPolicy ? guardedTransport(options.smtpUrl!, options.addressPolicy) : nodemailer.createTransport(options.smtpUrl!));
  }

  wants(subscription: Subscription): boolean {
    return Boolean(subscription.channels.email);
  }

  async send(message: PushMessage, subscription: Subscription): Promise<void> {
    const to = subscription.channels.email?.to;
    if (!to) throw new DeliveryError('email', 'subscription has no email address', { retriable: false });
    const rendered = renderEmail(message, subscription, (id) => this.options.sourceName?.(id) ?? id);
    try {
      await this.transporter.sendMail({
        from: this.options.from,
        to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: { 'X-Monitor-Delivery': message.id },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // A refused SMTP address stays refused until the operator changes the allow-list.
      const retriable = !findAddressRefusal(error) && (code === undefined || (code >= 400 && code < 500));
      throw new DeliveryError('email', `SMTP: ${(error as Error).message}`, { retriable, cause: error });
    }
  }

  close(): void {
    this.transporter.close();
  }
}
