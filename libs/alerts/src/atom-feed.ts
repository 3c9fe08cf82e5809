import { LedgerEntry } from './alert-ledger.port';
import { escapeHtml, evidenceSummary, kindPrefix, safeHref, storySummaryLine, topicLabel } from './alert-html';
import { Subscription } from './subscription';

export interface AtomFeedInput {
  subscription: Subscription;
  /** Newest first, e.g. ledger.latestForSubscription(id, 50). */
  entries: LedgerEntry[];
  /** The feed's own URL (rel="self"), as the reader fetched it. */
  selfUrl: string;
  now?: () => Date;
  sourceName?: (sourceId: string) => string | undefined;
}

// XML 1.0 forbids most control characters and lone surrogates even when escaped; a feed text that
// carries them would make the whole document invalid, so they are dropped.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return escapeHtml(text.replace(NOT_XML, ''));
}

/**
 * An Atom 1.0 (RFC 4287) document of a subscription's alerts, so an analyst can follow them in any
 * feed reader. Written by hand because the elements are few and fixed, and every value passes
 * through escapeXml; the entry summary is HTML, escaped once as HTML and once more as XML.
 */
export function renderAtomFeed(input: AtomFeedInput): string {
  const { subscription, entries } = input;
  const updated = entries.length ? entries.map((e) => e.alert.createdAt).sort().at(-1)! : (input.now?.() ?? new Date()).toISOString();
  const title = `Drug-control monitor: ${subscription.name || subscription.id}`;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:drug-control-monitor:subscription:${escapeXml(subscription.id)}</id>`,
    `  <title type="text">${escapeXml(title)}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(input.selfUrl)}"/>`,
    '  <author><name>Drug-control monitor</name></author>',
    '  <generator>drug-control-monitor</generator>',
  ];
  for (const { alert } of entries) {
    const href = safeHref(alert.url);
    // The name the source had when the alert was made (alerts carry it), else what the caller knows of it now.
    const source = alert.sourceName || (alert.sourceId && input.sourceName?.(alert.sourceId)) || alert.sourceId || '';
    const story = storySummaryLine(alert);
    const summary =
      `<p>${escapeHtml(source)}</p>` +
      (story ? `<p>Story: ${escapeHtml(story)}</p>` : '') +
      '<ul>' +
      evidenceSummary(alert)
        .map((t) => `<li>${escapeHtml(t.topic)} (${escapeHtml(String(t.score))}): ${t.terms.map(escapeHtml).join(', ')}</li>`)
        .join('') +
      '</ul>';
    out.push(
      '  <entry>',
      `    <id>urn:drug-control-monitor:alert:${escapeXml(alert.id)}</id>`,
      `    <title type="text">${escapeXml(kindPrefix(alert) + (alert.title || '(untitled)'))}</title>`,
      `    <updated>${escapeXml(alert.createdAt)}</updated>`,
      ...(alert.publishedAt ? [`    <published>${escapeXml(alert.publishedAt)}</published>`] : []),
      ...(href ? [`    <link rel="alternate" type="text/html" href="${escapeXml(href)}"/>`] : []),
      ...alert.topics.map((t) => `    <category term="${escapeXml(t.id)}" label="${escapeXml(topicLabel(t.id))}"/>`),
      `    <summary type="html">${escapeXml(summary)}</summary>`,
      '  </entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}
