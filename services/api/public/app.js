import { h, render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { TopicChart } from './charts.js';
import { ARTICLE_SANDBOX, articleFrameDocument, markOnlyHtml, safeHref } from './safe-html.js';

// Every text from a feed reaches the DOM through Preact as a text node (escaped); the only HTML
// inserted is a search highlight that markOnlyHtml passed, and an opened article's HTML, which goes
// into a sandboxed frame (articleFrameDocument), never into this page.
const html = htm.bind(h);
const KEY_STORAGE = 'monitor.apiKey';
const EMPTY = new Set();
const EMPTY_SEARCH = { q: '', topics: [], sources: [], languages: [], from: '', to: '', page: 1, collapse: true };

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, { key, method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (key) headers['X-API-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, data?.error?.message ?? `HTTP ${response.status}`);
  return data;
}

function useNow(ms = 5000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function ago(iso, now) {
  if (!iso) return '—';
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(s);
  const text = abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : abs < 172800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86400)} d`;
  return s <= 0 ? `${text} ago` : `in ${text}`;
}

const Time = ({ iso, now }) => html`<time datetime=${iso ?? ''} title=${iso ?? ''}>${ago(iso, now)}</time>`;

/** `eventNames`: one SSE event name, or several (the alert stream says `alert` and `story.updated`). */
function useEventSource(url, onEvent, eventNames) {
  const [state, setState] = useState('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!url) return undefined;
    const source = new EventSource(url);
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    const listener = (event) => handler.current(JSON.parse(event.data), event);
    const names = String(eventNames).split(',');
    for (const name of names) source.addEventListener(name, listener);
    return () => source.close();
  }, [url, String(eventNames)]);
  return state;
}

// ---- Sources ----------------------------------------------------------------------------------

const STATUS_LABEL = { ok: 'healthy', warn: 'backing off', error: 'failing', idle: 'idle' };

function Sources({ sources, now }) {
  if (!sources) return null;
  return html`<section id="sources" class="panel wide">
    <h2>Sources <small>${sources.healthy} of ${sources.total} healthy${sources.failing ? html`, <strong class="bad">${sources.failing} need attention</strong>` : null}</small></h2>
    <table class="sources">
      <thead><tr><th>Source</th><th>Status</th><th>Reason</th><th>Last poll</th><th>Last success</th><th>Items 24 h</th><th>Next poll</th></tr></thead>
      <tbody>
        ${sources.items.map(
          (s) => html`<tr class=${`source-row sev-${s.severity}`} data-source-id=${s.id} data-status=${s.status}>
            <td><span class="name">${s.name}</span><br /><code>${s.id}</code></td>
            <td><span class=${`badge sev-${s.severity}`}>${s.status === 'backing-off' ? STATUS_LABEL.warn : s.status}</span>${s.consecutiveFailures ? html`<br /><small>${s.consecutiveFailures} failure${s.consecutiveFailures > 1 ? 's' : ''} in a row</small>` : null}</td>
            <td class="reason">${s.reason ?? ''}</td>
            <td><${Time} iso=${s.lastPollAt} now=${now} /></td>
            <td><${Time} iso=${s.lastSuccessAt} now=${now} /></td>
            <td class="num">${s.itemsLastDay}</td>
            <td>${s.backingOffUntil ? html`backing off until <${Time} iso=${s.backingOffUntil} now=${now} />` : html`<${Time} iso=${s.nextPollAt} now=${now} />`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

// ---- Pipeline ---------------------------------------------------------------------------------

function Pipeline({ pipeline, now }) {
  if (!pipeline) return null;
  const { stages, lag, deadLetters, lastBulk } = pipeline;
  const unreachable = pipeline.unreachable ?? [];
  return html`<section id="pipeline" class="panel">
    <h2>Pipeline</h2>
    <div class="stages">
      ${stages.map((s) => html`<div class="stage" data-stage=${s.stage}><span class="stage-name">${s.stage}</span><span class="rate">${s.eventsPerSecond.toFixed(1)}</span><small>events/s</small></div>`)}
    </div>
    ${unreachable.length
      ? html`<ul class="unreachable">${unreachable.map((u) => html`<li class="bad" data-service=${u.service}>${u.service} not answering at <code>${u.url}</code>: ${u.reason} (its figures are missing)</li>`)}</ul>`
      : null}
    <h3>Consumer lag ${lag.checkedAt ? html`<small>checked <${Time} iso=${lag.checkedAt} now=${now} /></small>` : null}</h3>
    ${lag.error ? html`<p class="bad">${lag.error}</p>` : null}
    <table>
      <thead><tr><th>Group</th><th>Topic</th><th>Per partition</th><th>Total</th></tr></thead>
      <tbody>
        ${lag.groups.map(
          (g) => html`<tr data-group=${g.group}><td>${g.group}</td><td><code>${g.topic}</code></td>
            <td>${g.partitions.map((p) => html`<span class=${`chip${p.lag > 0 ? ' warn' : ''}`}>p${p.partition}: ${p.lag}</span> `)}</td>
            <td class="num">${g.total}</td></tr>`,
        )}
      </tbody>
    </table>
    <h3>Dead letters <small>${deadLetters.total} since start</small></h3>
    ${Object.keys(deadLetters.counts).length
      ? html`<p>${Object.entries(deadLetters.counts).map(([topic, n]) => html`<span class="chip bad">${topic}: ${n}</span> `)}</p>
          <ul class="dead-letters">${deadLetters.latest.map((d) => html`<li><code>${d.topic}</code> <span class="reason">${d.reason}</span> <small>${d.key} · <${Time} iso=${d.at} now=${now} /></small></li>`)}</ul>`
      : html`<p class="muted">None.</p>`}
    <h3>Last bulk write</h3>
    ${lastBulk ? html`<p class="last-bulk"><strong>${lastBulk.size}</strong> ${lastBulk.size === 1 ? 'document' : 'documents'} in <strong>${lastBulk.ms} ms</strong>, <${Time} iso=${lastBulk.at} now=${now} /></p>` : html`<p class="muted">None yet.</p>`}
  </section>`;
}

// ---- Alerts -----------------------------------------------------------------------------------

function TopicChips({ topics, labels }) {
  return topics.map((t) => html`<span class="chip topic" title=${labels[t.id] ?? t.id}>${t.id}${t.score !== undefined ? html` <small>${Math.round(t.score)}</small>` : null}</span> `);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// A story as a link that opens it in the page (GET /stories/:id; the JSON itself in a new tab).
function StoryLink({ storyId, onOpenStory, children }) {
  return html`<a class="story-link" href=${`/stories/${encodeURIComponent(storyId)}`} data-story-id=${storyId}
    onClick=${(e) => (e.button === 0 && !e.ctrlKey && !e.metaKey ? (e.preventDefault(), onOpenStory(storyId)) : undefined)}>${children}</a>`;
}

// Alerts of kind `story` and `story.updated` carry the story as it stood (the alerts.v1 contract).
function AlertStory({ alert, onOpenStory }) {
  if (!alert.storyId || !(alert.kind === 'story' || alert.kind === 'story.updated')) return null;
  const story = alert.story;
  return html`<div class="alert-story meta">
    <${StoryLink} storyId=${alert.storyId} onOpenStory=${onOpenStory}>${alert.kind === 'story.updated' ? 'story updated' : 'story'}</${StoryLink}>
    ${story ? html` · <span class="story-languages">${story.languages.join(', ')}</span> · <span class="story-count">${plural(story.articleCount, 'article')}</span> · ${plural(story.sources.length, 'source')}` : null}
  </div>`;
}

function AlertItem({ alert, labels, now, onOpenStory }) {
  const href = safeHref(alert.url);
  return html`<li class="alert-item" data-alert-id=${alert.id} data-article-id=${alert.articleId ?? ''} data-kind=${alert.kind} data-story-id=${alert.storyId ?? ''}>
    <span class=${`kind kind-${alert.kind.replace('.', '-')}`}>${alert.kind}</span>
    ${href ? html`<a class="title" href=${href} rel="noopener noreferrer" target="_blank">${alert.title}</a>` : html`<span class="title">${alert.title}</span>`}
    <${AlertStory} alert=${alert} onOpenStory=${onOpenStory} />
    <div class="meta"><${TopicChips} topics=${alert.topics} labels=${labels} /> ${alert.sourceId ? html`<code>${alert.sourceId}</code>` : null} · <${Time} iso=${alert.createdAt} now=${now} />${alert.subscriptions > 1 ? html` · ${alert.subscriptions} subscriptions` : null}</div>
  </li>`;
}

function Alerts({ alerts, mine, keyState, labels, now, onOpenStory }) {
  if (!alerts) return null;
  return html`<section id="alerts" class="panel">
    <h2>Alerts</h2>
    <h3>Deliveries per channel</h3>
    <table>
      <thead><tr><th>Channel</th><th>Delivered</th><th>Failed</th><th>Pending</th></tr></thead>
      <tbody>
        <tr data-channel="sse"><td>sse</td><td colspan="3" class="muted">every alert, from the ledger, to open streams</td></tr>
        ${alerts.channels.map((c) => html`<tr data-channel=${c.channel}><td>${c.channel}</td><td class="num">${c.delivered}</td><td class=${`num${c.failed ? ' bad' : ''}`}>${c.failed}</td><td class="num">${c.pending}</td></tr>`)}
      </tbody>
    </table>
    ${alerts.failures.length
      ? html`<h3>Failed deliveries</h3><ul class="failures">${alerts.failures.map((f) => html`<li><span class="chip bad">${f.channel}</span> <span class="reason">${f.reason}</span> <small>${f.attempts} attempts · <${Time} iso=${f.at} now=${now} /></small></li>`)}</ul>`
      : null}
    ${keyState === 'ok'
      ? html`<h3>Your alerts <small>live</small></h3>
          ${mine.length ? html`<ul class="alerts mine">${mine.map((a) => html`<${AlertItem} key=${a.id} alert=${a} labels=${labels} now=${now} onOpenStory=${onOpenStory} />`)}</ul>` : html`<p class="muted">None yet; new ones appear here.</p>`}`
      : null}
    <h3>Recent alerts <small>all subscriptions</small></h3>
    ${alerts.recent.length
      ? html`<ul class="alerts recent">${alerts.recent.map((a) => html`<${AlertItem} key=${a.id} alert=${a} labels=${labels} now=${now} onOpenStory=${onOpenStory} />`)}</ul>`
      : html`<p class="muted">No alerts yet.</p>`}
  </section>`;
}

// ---- Search -----------------------------------------------------------------------------------

function Highlight({ snippet, fallback }) {
  const safe = markOnlyHtml(snippet);
  return safe !== null ? html`<span class="hl" dangerouslySetInnerHTML=${{ __html: safe }}></span>` : html`<span>${fallback}</span>`;
}

function Facet({ name, buckets, selected, onToggle, labels = {} }) {
  if (!buckets?.length) return null;
  return html`<div class="facet" data-facet=${name}><h4>${name}</h4>
    ${buckets.map(
      (b) => html`<label class="facet-value"><input type="checkbox" checked=${selected.includes(b.key)} onChange=${() => onToggle(name, b.key)} /> ${labels[b.key] ?? b.key} <span class="count">${b.count}</span></label>`,
    )}
  </div>`;
}

// One article as GET /articles/:id gives it: the feed's HTML when there is some, else its text.
function ArticleView({ id, onClose }) {
  const [article, setArticle] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let cancelled = false;
    api(`/articles/${encodeURIComponent(id)}`)
      .then((data) => !cancelled && (setArticle(data), setError(null)))
      .catch((e) => !cancelled && setError(e.message));
    return () => (cancelled = true);
  }, [id]);
  const href = article ? safeHref(article.url) : undefined;
  return html`<article class="article-view" data-article-id=${id}>
    <button type="button" class="link close" onClick=${onClose}>Close</button>
    ${error ? html`<p class="bad">${error}</p>` : null}
    ${article
      ? html`<h3>${href ? html`<a href=${href} rel="noopener noreferrer" target="_blank">${article.title}</a>` : article.title}</h3>
          <div class="meta"><code>${article.sourceName ?? article.sourceId}</code> · ${article.language} · ${article.publishedAt ? article.publishedAt.slice(0, 10) : 'undated'}</div>
          ${article.html
            ? html`<iframe class="article-body" title="Article" sandbox=${ARTICLE_SANDBOX} referrerpolicy="no-referrer" srcdoc=${articleFrameDocument(article.html)}></iframe>`
            : html`<div class="article-body text">${article.text}</div>`}`
      : null}
  </article>`;
}

// One story as GET /stories/:id gives it: its reports across sources and languages, oldest first.
function StoryView({ id, onClose, now }) {
  const [story, setStory] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let cancelled = false;
    setStory(null);
    api(`/stories/${encodeURIComponent(id)}`)
      .then((data) => !cancelled && (setStory(data), setError(null)))
      .catch((e) => !cancelled && setError(e.message));
    return () => (cancelled = true);
  }, [id]);
  return html`<section id="story" class="panel wide" data-story-id=${id}>
    <button type="button" class="link close" onClick=${onClose}>Close</button>
    <h2>Story ${story ? html`<small>${plural(story.articleCount, 'article')} · ${story.languages.join(', ')} · ${plural(story.sources.length, 'source')} · first seen <${Time} iso=${story.firstSeen} now=${now} />, last <${Time} iso=${story.lastSeen} now=${now} /></small>` : null}</h2>
    ${error ? html`<p class="bad">${error}</p>` : null}
    ${story
      ? html`<h3 class="story-title">${story.title}</h3>
          <table class="story-articles">
            <thead><tr><th>Language</th><th>Source</th><th>Article</th><th>Published</th></tr></thead>
            <tbody>${story.articles.map((a) => {
              const href = safeHref(a.url);
              return html`<tr class="story-article" data-article-id=${a.id} data-language=${a.language} data-source-id=${a.sourceId}>
                <td>${a.language}</td><td>${a.sourceName ?? a.sourceId}${a.sourceName ? html`<br /><code>${a.sourceId}</code>` : null}</td>
                <td>${href ? html`<a href=${href} rel="noopener noreferrer" target="_blank">${a.title}</a>` : a.title}</td>
                <td>${a.publishedAt.slice(0, 10)}</td></tr>`;
            })}</tbody>
          </table>`
      : null}
  </section>`;
}

// A collapsed row's story: "also in ru, zh · 4 sources", and the story's articles a click away.
function HitStory({ story, onOpenStory }) {
  // A story of one article so far says nothing a lone article does not.
  if (!story || story.articleCount < 2) return null;
  return html`<div class="hit-story meta" data-story-id=${story.id}>
    ${story.otherLanguages.length ? html`<span class="also-in">also in ${story.otherLanguages.join(', ')}</span> · ` : null}<span class="source-count">${plural(story.sourceCount, 'source')}</span>
    · <${StoryLink} storyId=${story.id} onOpenStory=${onOpenStory}>story of ${plural(story.articleCount, 'article')}</${StoryLink}>
  </div>`;
}

function Search({ request, setRequest, labels, onOpenStory }) {
  const [result, setResult] = useState(null);
  const [opened, setOpened] = useState(null);
  const [error, setError] = useState(null);
  const [draft, setDraft] = useState(request.q);
  useEffect(() => setDraft(request.q), [request.q]);
  useEffect(() => {
    const params = new URLSearchParams();
    if (request.q) params.set('q', request.q);
    for (const facet of ['topics', 'sources', 'languages']) if (request[facet].length) params.set(facet, request[facet].join(','));
    if (request.from) params.set('from', request.from);
    // A bare day as `to` would mean its first instant; the chart's day means the whole UTC day.
    if (request.to) params.set('to', /^\d{4}-\d{2}-\d{2}$/.test(request.to) ? `${request.to}T23:59:59.999Z` : request.to);
    params.set('sort', request.q ? 'relevance' : 'date');
    params.set('page', String(request.page));
    params.set('size', '10');
    if (request.collapse) params.set('collapse', 'story');
    let cancelled = false;
    api(`/search?${params}`)
      .then((data) => !cancelled && (setResult(data), setError(null)))
      .catch((e) => !cancelled && setError(e.message));
    return () => (cancelled = true);
  }, [request]);
  const toggle = (facet, value) => {
    const values = request[facet].includes(value) ? request[facet].filter((v) => v !== value) : [...request[facet], value];
    setRequest({ ...request, [facet]: values, page: 1 });
  };
  const pages = result ? Math.max(1, Math.ceil(result.total / result.size)) : 1;
  return html`<section id="search" class="panel wide">
    <h2>Search</h2>
    <form class="search-form" onSubmit=${(e) => (e.preventDefault(), setRequest({ ...request, q: draft.trim(), page: 1 }))}>
      <input type="search" name="q" placeholder='Words or "a phrase", e.g. heroin Afghanistan' value=${draft} onInput=${(e) => setDraft(e.currentTarget.value)} />
      <button type="submit">Search</button>
      <label class="collapse-toggle" title="One row per story: the best match of each story stands for its reports in other sources and languages">
        <input type="checkbox" name="collapse" checked=${request.collapse} onChange=${(e) => setRequest({ ...request, collapse: e.currentTarget.checked, page: 1 })} /> Group by story</label>
      ${request.topics.length || request.sources.length || request.languages.length || request.from || request.q
        ? html`<button type="button" class="link" onClick=${() => setRequest({ ...EMPTY_SEARCH, collapse: request.collapse })}>Clear</button>`
        : null}
    </form>
    ${request.from ? html`<p class="muted">Published ${request.from}${request.to && request.to !== request.from ? ` to ${request.to}` : ''}</p>` : null}
    ${error ? html`<p class="bad">${error}</p>` : null}
    ${result
      ? html`<div class="search-body">
          <aside class="facets">
            <${Facet} name="topics" buckets=${result.facets.topics} selected=${request.topics} onToggle=${toggle} labels=${labels} />
            <${Facet} name="sources" buckets=${result.facets.sources} selected=${request.sources} onToggle=${toggle} />
            <${Facet} name="languages" buckets=${result.facets.languages} selected=${request.languages} onToggle=${toggle} />
          </aside>
          <div class="hits">
            <p class="muted total">${request.collapse ? `${plural(result.total, 'result')}, grouped by story` : plural(result.total, 'article')}</p>
            ${opened ? html`<${ArticleView} key=${opened} id=${opened} onClose=${() => setOpened(null)} />` : null}
            <ol class="hits-list">
              ${result.hits.map((hit) => {
                const a = hit.article;
                const href = safeHref(a.url);
                const title = hit.highlights.title?.[0];
                return html`<li class="hit" data-article-id=${a.id}>
                  <h3>${href ? html`<a href=${href} rel="noopener noreferrer" target="_blank"><${Highlight} snippet=${title} fallback=${a.title} /></a>` : html`<${Highlight} snippet=${title} fallback=${a.title} />`}</h3>
                  <div class="meta"><code>${a.sourceId}</code> · ${a.language} · ${a.publishedAt ? a.publishedAt.slice(0, 10) : 'undated'} <button type="button" class="link open-article" onClick=${() => setOpened(a.id)}>Read</button></div>
                  <${HitStory} story=${hit.story} onOpenStory=${onOpenStory} />
                  <div class="evidence">
                    ${(hit.highlights.text ?? []).slice(0, 2).map((snippet) => html`<p>…<${Highlight} snippet=${snippet} fallback=${''} />…</p>`)}
                    ${!hit.highlights.text?.length ? html`<p>${a.text.slice(0, 240)}${a.text.length > 240 ? '…' : ''}</p>` : null}
                  </div>
                  <div class="topics">${a.topics.map((t) => html`<span class="chip topic" title=${`${t.score === 0 ? 'found by the second look, no term of the rules' : 'evidence'}: ${t.evidence.map((e) => e.term).join(', ')}`}>${labels[t.id] ?? t.id} <small>${t.score === 0 ? 'look' : Math.round(t.score)}</small></span> `)}</div>
                </li>`;
              })}
            </ol>
            ${pages > 1
              ? html`<nav class="pager"><button type="button" disabled=${request.page <= 1} onClick=${() => setRequest({ ...request, page: request.page - 1 })}>Previous</button> page ${request.page} of ${pages} <button type="button" disabled=${request.page >= pages} onClick=${() => setRequest({ ...request, page: request.page + 1 })}>Next</button></nav>`
              : null}
          </div>
        </div>`
      : null}
  </section>`;
}

// ---- Subscriptions and key --------------------------------------------------------------------

function KeyForm({ apiKey, setApiKey, keyState }) {
  const [draft, setDraft] = useState(apiKey);
  return html`<form class="key-form" onSubmit=${(e) => (e.preventDefault(), setApiKey(draft.trim()))}>
    <label>API key <input type="password" name="api-key" autocomplete="off" value=${draft} onInput=${(e) => setDraft(e.currentTarget.value)} /></label>
    <button type="submit">Use key</button>
    ${apiKey ? html`<button type="button" class="link" onClick=${() => (setDraft(''), setApiKey(''))}>Forget</button>` : null}
    <span class=${`key-state ${keyState}`}>${{ none: 'no key', ok: 'key accepted', bad: 'key not accepted', checking: '…' }[keyState]}</span>
  </form>`;
}

function Subscriptions({ apiKey, keyState, subscriptions, reload, labels, topicIds }) {
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState([]);
  // New subscriptions alert once per story (the API's default); updates only when asked.
  const [per, setPer] = useState('story');
  const [storyUpdates, setStoryUpdates] = useState(false);
  const [error, setError] = useState(null);
  if (keyState !== 'ok') {
    return html`<section id="subscriptions" class="panel"><h2>Your subscriptions</h2><p class="muted">Enter your API key above to see and manage the subscriptions of your key.</p></section>`;
  }
  const create = async (e) => {
    e.preventDefault();
    try {
      const body = { name: name || undefined, topics: chosen, query: query || undefined, per, storyUpdates: per === 'story' && storyUpdates };
      await api('/subscriptions', { key: apiKey, method: 'POST', body });
      setName('');
      setQuery('');
      setChosen([]);
      setPer('story');
      setStoryUpdates(false);
      setError(null);
      reload();
    } catch (err) {
      setError(err.message);
    }
  };
  const remove = async (id) => {
    try {
      await api(`/subscriptions/${encodeURIComponent(id)}`, { key: apiKey, method: 'DELETE' });
      reload();
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<section id="subscriptions" class="panel">
    <h2>Your subscriptions <small>${subscriptions.length}</small></h2>
    <ul class="subscriptions">
      ${subscriptions.map(
        (s) => html`<li class="subscription" data-subscription-id=${s.id}>
          <strong>${s.name || s.id}</strong> <small>${s.delivery?.mode ?? ''}</small> · <small class="per">${s.per === 'story' ? (s.storyUpdates ? 'per story, with updates' : 'per story') : 'per article'}</small>
          <button type="button" class="link danger" onClick=${() => remove(s.id)}>Delete</button>
          <div>${s.topics?.length ? s.topics.map((t) => html`<span class="chip topic">${labels[t] ?? t}</span> `) : html`<span class="muted">any topic</span>`}${s.query ? html` · <code>${s.query}</code>` : null}</div>
        </li>`,
      )}
    </ul>
    <form class="subscribe" onSubmit=${create}>
      <h3>New subscription</h3>
      <input name="name" placeholder="Name" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
      <input name="query" placeholder='Optional query: words, "phrases", -excluded' value=${query} onInput=${(e) => setQuery(e.currentTarget.value)} />
      <div class="topic-choice">${topicIds.map(
        (t) => html`<label><input type="checkbox" checked=${chosen.includes(t)} onChange=${() => setChosen(chosen.includes(t) ? chosen.filter((c) => c !== t) : [...chosen, t])} /> ${labels[t] ?? t}</label>`,
      )}</div>
      <fieldset class="per-choice">
        <legend>Alert</legend>
        <label><input type="radio" name="per" value="story" checked=${per === 'story'} onChange=${() => setPer('story')} /> once per story (its reports in every source and language together)</label>
        <label><input type="radio" name="per" value="article" checked=${per === 'article'} onChange=${() => setPer('article')} /> for every article</label>
        <label><input type="checkbox" name="storyUpdates" checked=${per === 'story' && storyUpdates} disabled=${per !== 'story'} onChange=${(e) => setStoryUpdates(e.currentTarget.checked)} /> and again for each later article of the story (story.updated)</label>
      </fieldset>
      <button type="submit">Subscribe</button>
      ${error ? html`<p class="bad">${error}</p>` : null}
    </form>
  </section>`;
}

// ---- The page ---------------------------------------------------------------------------------

function App() {
  const now = useNow(2000);
  const [overview, setOverview] = useState(null);
  const [timeline, setTimeline] = useState(null);
  const [labels, setLabels] = useState({});
  const [topicIds, setTopicIds] = useState([]);
  const [apiKey, setApiKeyState] = useState(() => localStorage.getItem(KEY_STORAGE) ?? '');
  const [keyState, setKeyState] = useState(apiKey ? 'checking' : 'none');
  const [subscriptions, setSubscriptions] = useState([]);
  const [mine, setMine] = useState([]);
  const [request, setRequest] = useState(EMPTY_SEARCH);
  const [openStory, setOpenStory] = useState(null);
  const showStory = (id) => {
    setOpenStory(id);
    // After it renders: the panel sits under the alerts, above search.
    setTimeout(() => document.getElementById('story')?.scrollIntoView({ behavior: 'smooth' }), 0);
  };

  const live = useEventSource('/ops/stream', setOverview, 'overview');
  useEffect(() => {
    api('/ops/overview').then((o) => setOverview((current) => current ?? o)).catch(() => undefined);
    api('/topics').then((t) => {
      setLabels(Object.fromEntries(t.topics.map((topic) => [topic.id, topic.label])));
      setTopicIds(t.topics.map((topic) => topic.id));
    });
  }, []);

  // The chart follows the index: refetched when the indexer wrote something new, and each minute.
  const lastBulkAt = overview?.pipeline.lastBulk?.at;
  useEffect(() => {
    api('/ops/topics/timeline?days=30').then(setTimeline).catch(() => undefined);
  }, [lastBulkAt, Math.floor(now / 60000)]);

  const setApiKey = (key) => {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
    setMine([]);
    setApiKeyState(key);
  };
  const reloadSubscriptions = useCallback(() => {
    if (!apiKey) return (setKeyState('none'), setSubscriptions([]));
    setKeyState((s) => (s === 'ok' ? s : 'checking'));
    api('/subscriptions', { key: apiKey })
      .then((list) => (setSubscriptions(list), setKeyState('ok')))
      .catch((e) => setKeyState(e.status === 401 || e.status === 403 ? 'bad' : 'ok'));
  }, [apiKey]);
  useEffect(reloadSubscriptions, [reloadSubscriptions]);
  // EventSource cannot send headers; the api accepts the key as ?api_key= on event streams only.
  useEventSource(keyState === 'ok' ? `/alerts/stream?api_key=${encodeURIComponent(apiKey)}` : null, (alert) => setMine((list) => [alert, ...list.filter((a) => a.id !== alert.id)].slice(0, 50)), ['alert', 'story.updated']);

  const pick = (topic, day) => {
    setRequest({ ...EMPTY_SEARCH, collapse: request.collapse, topics: [topic], from: day ?? '', to: day ?? '' });
    document.getElementById('search')?.scrollIntoView({ behavior: 'smooth' });
  };

  return html`
    <header class="top">
      <h1>Drug-control monitor</h1>
      <span class=${`live ${live}`} id="live-state" title="Updates pushed by the server (SSE)">${live === 'live' ? '● live' : live}</span>
      ${overview ? html`<small class="muted">updated <${Time} iso=${overview.generatedAt} now=${now} /></small>` : null}
      <${KeyForm} apiKey=${apiKey} setApiKey=${setApiKey} keyState=${keyState} />
      <nav><a href="#sources">Sources</a> <a href="#pipeline">Pipeline</a> <a href="#topics">Topics</a> <a href="#alerts">Alerts</a> <a href="#search">Search</a> <a href="#subscriptions">Subscriptions</a> <a href="/docs">API</a></nav>
    </header>
    <main>
      <${Sources} sources=${overview?.sources} now=${now} />
      <${Pipeline} pipeline=${overview?.pipeline} now=${now} />
      <${Alerts} alerts=${overview?.alerts} mine=${mine} keyState=${keyState} labels=${labels} now=${now} onOpenStory=${showStory} />
      ${openStory ? html`<${StoryView} key=${openStory} id=${openStory} now=${now} onClose=${() => setOpenStory(null)} />` : null}
      <section id="topics" class="panel wide">
        <h2>Topics <small>articles per day, last 30 days; red rings mark spikes; click a topic or a spike to see its articles</small></h2>
        <${TopicChart} timeline=${timeline} labels=${labels} hidden=${EMPTY} onPick=${pick} />
      </section>
      <${Search} request=${request} setRequest=${setRequest} labels=${labels} onOpenStory=${showStory} />
      <${Subscriptions} apiKey=${apiKey} keyState=${keyState} subscriptions=${subscriptions} reload=${reloadSubscriptions} labels=${labels} topicIds=${topicIds} />
    </main>`;
}

render(html`<${App} />`, document.getElementById('app'));
