import { articleHtml } from './feed-documents';
import type { DemoLanguage, DemoSiteEntry } from './demo-site-map';
import { escapeMarkup as e } from './markup-encoding';
import type { PublishedAnnouncement } from './sample-announcements';

/**
 * HTML pages of the demo site. The SCO pages imitate a real news site closely enough that
 * selectors matter: navigation, a cookie banner, a "most read" sidebar and "related news" that
 * also link to articles, share buttons and a footer surround the content.
 */

interface ScoWords {
  site: string;
  nav: [string, string][];
  news: string;
  cookie: string;
  accept: string;
  mostRead: string;
  related: string;
  share: string;
  views: string;
  footer: string;
  readMore: string;
  maintenance: string;
  dateLocale: string;
  dateStyle: Intl.DateTimeFormatOptions;
}

const SCO_WORDS: Record<DemoLanguage, ScoWords> = {
  en: {
    site: 'The Shanghai Cooperation Organisation',
    nav: [['', 'Home'], ['about/', 'About SCO'], ['news/', 'News'], ['documents/', 'Documents'], ['secretariat/', 'Secretariat'], ['contacts/', 'Contacts']],
    news: 'News',
    cookie: 'This website uses cookies to make browsing more convenient. By continuing to use the site you agree to the use of cookies.',
    accept: 'Accept',
    mostRead: 'Most read',
    related: 'Related news',
    share: 'Share',
    views: 'Views',
    footer: '© SCO Secretariat. All rights reserved. When using materials of the site, a reference to the source is required.',
    readMore: 'Read more',
    maintenance: 'The news section is temporarily unavailable due to maintenance. Please try again later.',
    dateLocale: 'en-GB',
    dateStyle: { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' },
  },
  ru: {
    site: 'Шанхайская организация сотрудничества',
    nav: [['', 'Главная'], ['about/', 'Об ШОС'], ['news/', 'Новости'], ['documents/', 'Документы'], ['secretariat/', 'Секретариат'], ['contacts/', 'Контакты']],
    news: 'Новости',
    cookie: 'Сайт использует файлы cookie, чтобы сделать работу с ним удобнее. Продолжая пользоваться сайтом, вы соглашаетесь на их использование.',
    accept: 'Принять',
    mostRead: 'Самое читаемое',
    related: 'Читайте также',
    share: 'Поделиться',
    views: 'Просмотров',
    footer: '© Секретариат ШОС. Все права защищены. При использовании материалов сайта ссылка на источник обязательна.',
    readMore: 'Подробнее',
    maintenance: 'Раздел новостей временно недоступен в связи с техническими работами. Пожалуйста, зайдите позже.',
    dateLocale: 'ru-RU',
    dateStyle: { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' },
  },
  zh: {
    site: '上海合作组织',
    nav: [['', '首页'], ['about/', '关于上合组织'], ['news/', '新闻'], ['documents/', '文件'], ['secretariat/', '秘书处'], ['contacts/', '联系我们']],
    news: '新闻',
    cookie: '本网站使用Cookie以改善浏览体验。继续使用本网站即表示您同意使用Cookie。',
    accept: '同意',
    mostRead: '热门新闻',
    related: '相关新闻',
    share: '分享',
    views: '浏览',
    footer: '© 上海合作组织秘书处 版权所有。转载本网站内容请注明出处。',
    readMore: '详细',
    maintenance: '新闻栏目正在维护，暂时无法访问，请稍后再试。',
    dateLocale: 'zh-CN',
    dateStyle: { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' },
  },
};

function displayDate(iso: string, words: ScoWords): string {
  return new Intl.DateTimeFormat(words.dateLocale, words.dateStyle).format(new Date(iso));
}

function scoShell(language: DemoLanguage, title: string, main: string, aside: string): string {
  const w = SCO_WORDS[language];
  const root = `/sco/${language}/`;
  const nav = w.nav.map(([path, label]) => `<li class="main-nav__item"><a href="${root}${path}">${e(label)}</a></li>`).join('');
  const languages = (['en', 'ru', 'zh'] as const)
    .map((code) => `<a class="lang-switch__link${code === language ? ' is-active' : ''}" href="/sco/${code}/news/" hreflang="${code}">${code.toUpperCase()}</a>`)
    .join(' ');
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} | ${e(w.site)}</title>
<link rel="stylesheet" href="/static/sco/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){ dataLayer.push(arguments); }</script>
</head>
<body class="page">
<div class="cookie-banner" id="cookie-consent" role="dialog"><p class="cookie-banner__text">${e(w.cookie)}</p><button type="button" class="cookie-banner__accept">${e(w.accept)}</button></div>
<header class="site-header">
  <a class="site-header__logo" href="${root}"><img src="/static/sco/logo.svg" alt="SCO"><span class="site-header__name">${e(w.site)}</span></a>
  <nav class="main-nav" aria-label="main"><ul class="main-nav__list">${nav}</ul></nav>
  <div class="lang-switch">${languages}</div>
  <form class="site-search" action="${root}search/" method="get"><input type="search" name="q" aria-label="search"><button type="submit">&#128269;</button></form>
</header>
<div class="layout">
<main class="layout__main" id="content">
${main}
</main>
<aside class="layout__aside sidebar">
${aside}
</aside>
</div>
<footer class="site-footer">
  <ul class="site-footer__links">${nav}</ul>
  <p class="site-footer__copyright">${e(w.footer)}</p>
</footer>
<script src="/static/sco/cookie-banner.js" defer></script>
</body>
</html>
`;
}

function mostReadBlock(language: DemoLanguage, items: readonly PublishedAnnouncement[]): string {
  const w = SCO_WORDS[language];
  // Oldest first: a scraper that reads the sidebar instead of the main list gets stale items twice.
  const popular = [...items].reverse().slice(0, 4);
  const links = popular.map((item) => `<li class="news-item news-item--compact"><a class="news-item__link" href="${e(pathOf(item.url))}">${e(item.title)}</a></li>`).join('\n');
  return `<section class="widget widget--popular"><h3 class="widget__title">${e(w.mostRead)}</h3><ul class="news-list news-list--popular">\n${links}\n</ul></section>
<section class="widget widget--links"><h3 class="widget__title">SCO</h3><ul><li><a href="/sco/${language}/documents/charter/">Charter</a></li><li><a href="/sco/${language}/secretariat/">Secretariat</a></li></ul></section>`;
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

/** The SCO news listing: newest first, one `li.news-item` per article in `ul.news-list--latest`. */
export function renderScoListing(language: DemoLanguage, items: readonly PublishedAnnouncement[]): string {
  const w = SCO_WORDS[language];
  const rows = items
    .map(
      (item) => `  <li class="news-item">
    <time class="news-item__date" datetime="${item.publishedAt}">${e(displayDate(item.publishedAt, w))}</time>
    <a class="news-item__title" href="${e(pathOf(item.url))}">${e(item.title)}</a>
    <p class="news-item__teaser">${e(teaser(item.summary))}</p>
    <a class="news-item__more" href="${e(pathOf(item.url))}">${e(w.readMore)}</a>
  </li>`,
    )
    .join('\n');
  const main = `<nav class="breadcrumbs"><a href="/sco/${language}/">${e(w.nav[0][1])}</a> / <span>${e(w.news)}</span></nav>
<h1 class="page-title">${e(w.news)}</h1>
<ul class="news-list news-list--latest">
${rows}
</ul>
<nav class="pagination"><span class="pagination__current">1</span></nav>`;
  return scoShell(language, w.news, main, mostReadBlock(language, items));
}

/** An SCO article page; the text sits in `.news-article__body`, the only <h1> is the headline. */
export function renderScoArticle(language: DemoLanguage, item: PublishedAnnouncement, others: readonly PublishedAnnouncement[]): string {
  const w = SCO_WORDS[language];
  const related = others
    .filter((other) => other.url !== item.url)
    .slice(0, 3)
    .map((other) => `<li><a href="${e(pathOf(other.url))}">${e(other.title)}</a></li>`)
    .join('');
  const main = `<nav class="breadcrumbs"><a href="/sco/${language}/">${e(w.nav[0][1])}</a> / <a href="/sco/${language}/news/">${e(w.news)}</a></nav>
<article class="news-article">
  <h1 class="news-article__title">${e(item.title)}</h1>
  <div class="news-article__meta"><time class="news-article__date" datetime="${item.publishedAt}">${e(displayDate(item.publishedAt, w))}</time> <span class="news-article__views">${e(w.views)}: ${(item.number % 900) + 100}</span></div>
  <figure class="news-article__photo"><img src="/static/sco/photos/${item.number}.jpg" alt=""><figcaption>${e(w.site)}</figcaption></figure>
  <div class="news-article__body">
${articleHtml(item)}
  </div>
  <div class="share"><span>${e(w.share)}:</span> <a href="#" class="share__link">VK</a> <a href="#" class="share__link">Weibo</a> <a href="#" class="share__link">X</a></div>
</article>
<section class="related"><h2 class="related__title">${e(w.related)}</h2><ul>${related}</ul></section>`;
  return scoShell(language, item.title, main, mostReadBlock(language, others));
}

/** What a "malformed" SCO listing serves: a 200 page in the site's frame, with no news list. */
export function renderScoMaintenance(language: DemoLanguage): string {
  const w = SCO_WORDS[language];
  return scoShell(language, w.news, `<h1 class="page-title">${e(w.news)}</h1><div class="notice notice--maintenance"><p>${e(w.maintenance)}</p></div>`, '');
}

/** Article pages of the feed sources (the pages feed items link to). */
export function renderStoryPage(entry: DemoSiteEntry, item: PublishedAnnouncement): string {
  return `<!DOCTYPE html>
<html lang="${item.language}">
<head><meta charset="utf-8"><title>${e(item.title)} | ${e(entry.organisation)}</title></head>
<body>
<header class="site-header"><a href="/">${e(entry.organisation)}</a></header>
<main>
<article class="story">
  <h1 class="story__title">${e(item.title)}</h1>
  <time class="story__date" datetime="${item.publishedAt}">${e(item.publishedAt.slice(0, 10))}</time>
  <div class="story__body">
${articleHtml(item)}
  </div>
</article>
</main>
<footer class="site-footer"><p>${e(entry.name)}</p></footer>
</body>
</html>
`;
}

/** The home page: a list of the demo's feeds and listings, for a person poking at the server. */
export function renderIndexPage(links: { name: string; url: string; format: string }[]): string {
  const rows = links.map((link) => `<li><a href="${e(link.url)}">${e(link.name)}</a> <small>(${e(link.format)})</small></li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Drug-control monitor demo feeds</title></head>
<body><h1>Demo feeds</h1><p>Sample announcements written for the demo; dates are shifted to look current.</p><ul>
${rows}
</ul></body></html>
`;
}

export function renderNotFoundPage(path: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>No page at ${e(path)}.</p></body></html>
`;
}

function teaser(summary: string): string {
  return summary.length > 240 ? `${summary.slice(0, 237).replace(/\s+\S*$/, '')}…` : summary;
}
