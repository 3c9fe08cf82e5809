import type { DemoCharset } from './demo-site-map';
import { escapeMarkup } from './markup-encoding';
import type { PublishedAnnouncement } from './sample-announcements';

/**
 * Renders the demo feeds as the real sources publish them: RSS 2.0 with content:encoded (UN News),
 * Atom 1.0 (UNODC style) and JSON Feed 1.1 (INCB style). Hand-templated rather than built with a
 * feed-writing package because the point is to control every byte the reader under test sees:
 * the XML prolog's encoding, entity escaping of markup in titles, and the date formats.
 */
export interface FeedChannel {
  title: string;
  description: string;
  homeUrl: string;
  feedUrl: string;
  language: string;
  charset: DemoCharset;
  /** ISO 8601: the newest change to the feed. */
  updated: string;
  author: string;
}

export function articleHtml(item: Pick<PublishedAnnouncement, 'paragraphs'>): string {
  return item.paragraphs.map((paragraph) => `<p>${escapeMarkup(paragraph)}</p>`).join('\n');
}

export function renderRss(channel: FeedChannel, items: readonly PublishedAnnouncement[]): string {
  const e = escapeMarkup;
  const entries = items.map(
    (item) => `    <item>
      <title>${e(item.title)}</title>
      <link>${e(item.url)}</link>
      <guid isPermaLink="true">${e(item.url)}</guid>
      <pubDate>${new Date(item.publishedAt).toUTCString()}</pubDate>
      <dc:creator>${e(channel.author)}</dc:creator>
      <description>${e(item.summary)}</description>
      <content:encoded>${e(articleHtml(item))}</content:encoded>
    </item>`,
  );
  return `<?xml version="1.0" encoding="${channel.charset}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${e(channel.title)}</title>
    <link>${e(channel.homeUrl)}</link>
    <atom:link href="${e(channel.feedUrl)}" rel="self" type="application/rss+xml"/>
    <description>${e(channel.description)}</description>
    <language>${e(channel.language)}</language>
    <lastBuildDate>${new Date(channel.updated).toUTCString()}</lastBuildDate>
    <ttl>5</ttl>
${entries.join('\n')}
  </channel>
</rss>
`;
}

export function renderAtom(channel: FeedChannel, items: readonly PublishedAnnouncement[]): string {
  const e = escapeMarkup;
  const entries = items.map(
    (item) => `  <entry>
    <id>${e(item.url)}</id>
    <title type="text">${e(item.title)}</title>
    <link rel="alternate" type="text/html" href="${e(item.url)}"/>
    <published>${item.publishedAt}</published>
    <updated>${item.publishedAt}</updated>
    <summary type="text">${e(item.summary)}</summary>
    <content type="html">${e(articleHtml(item))}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="${channel.charset}"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${e(channel.language)}">
  <id>${e(channel.feedUrl)}</id>
  <title type="text">${e(channel.title)}</title>
  <subtitle type="text">${e(channel.description)}</subtitle>
  <updated>${channel.updated}</updated>
  <link rel="self" type="application/atom+xml" href="${e(channel.feedUrl)}"/>
  <link rel="alternate" type="text/html" href="${e(channel.homeUrl)}"/>
  <author><name>${e(channel.author)}</name></author>
${entries.join('\n')}
</feed>
`;
}

export function renderJsonFeed(channel: FeedChannel, items: readonly PublishedAnnouncement[]): string {
  return `${JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: channel.title,
      description: channel.description,
      home_page_url: channel.homeUrl,
      feed_url: channel.feedUrl,
      language: channel.language,
      authors: [{ name: channel.author }],
      items: items.map((item) => ({
        id: item.url,
        url: item.url,
        title: item.title,
        summary: item.summary,
        content_html: articleHtml(item),
        content_text: item.text,
        date_published: item.publishedAt,
        date_modified: item.publishedAt,
        language: item.language,
      })),
    },
    null,
    2,
  )}\n`;
}
