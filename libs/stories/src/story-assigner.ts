/**
 * Assigns each article to a story (one real-world event, however many sources and languages report
 * it), one article at a time, as they arrive: an existing story when the article is close enough
 * to one of its articles, a new story otherwise.
 *
 * How close, chosen by measurement on the story set (npm run eval:stories; figures in
 * STORIES.md):
 * - Within one language, the cosine of TF-IDF vectors over the analysed terms (libs/text: stems,
 *   Chinese bigrams). Reports of one event by different outlets are retellings, not copies, so
 *   near-duplicate fingerprints (MinHash or SimHash over shingles) find too few of them: they
 *   share words, not runs of words.
 * - Across languages, what does not depend on the language: gazetteer entities (places, bodies,
 *   operations, recurring events), numbers (quantities, counts, ordinals), and the topics the
 *   classifier gave, weighted by how rare each is in the window, so "China" counts little and
 *   "Dushanbe" or "1.5 tonnes" much.
 * - Both fade with the time between the two articles; past the window nothing joins.
 * An article joins the story of its closest article (single link), which keeps a story whole when
 * its later reports drift from its first.
 *
 * Ids are derived from the article that opened the story, so the same stream in the same order
 * gives the same ids in any process.
 */
import { createHash } from 'node:crypto';
import { phraseTerms } from '@monitor/text';
import { EntityFinder, loadGazetteer } from './gazetteer';
import { findQuantities } from './quantity-finder';

export interface StoryArticle {
  id: string;
  title: string;
  text: string;
  language: string;
  sourceId: string;
  /** Milliseconds since the epoch. */
  publishedAt: number;
  /** Topic ids the classifier gave, if any. */
  topics?: readonly string[];
}

export interface StoryTuning {
  /** How far apart two articles of one story may be published. */
  windowMs: number;
  /** Over this time the similarity of two articles halves. */
  halfLifeMs: number;
  /** Least same-language similarity to join. */
  sameLanguageThreshold: number;
  /** Least cross-language similarity to join. */
  crossLanguageThreshold: number;
  /** How much the language-free evidence counts beside the words, within one language. */
  evidenceWeightSameLanguage: number;
  /** Rarest terms of an article used to look up candidates. */
  candidateTerms: number;
}

export const DEFAULT_STORY_TUNING: StoryTuning = {
  windowMs: 7 * 24 * 3600_000,
  halfLifeMs: 3 * 24 * 3600_000,
  sameLanguageThreshold: 0.3,
  crossLanguageThreshold: 0.45,
  evidenceWeightSameLanguage: 0.8,
  candidateTerms: 16,
};

export interface Story {
  id: string;
  title: string;
  articleIds: string[];
  languages: Set<string>;
  sources: Set<string>;
  topics: Set<string>;
  firstSeen: number;
  lastSeen: number;
}

interface Entry {
  article: StoryArticle;
  story: Story;
  terms: Map<string, number>;
  /** Language-free features: e:entity, q:quantity, t:topic. */
  evidence: string[];
}

export interface Assignment {
  story: Story;
  /** True when the article opened the story. */
  created: boolean;
  /** Similarity to the closest article of the story joined (0 for a new story). */
  score: number;
}

export function storyIdFor(articleId: string): string {
  return `story-${createHash('sha1').update(articleId).digest('hex').slice(0, 20)}`;
}

export class StoryAssigner {
  private readonly tuning: StoryTuning;
  private readonly finder: EntityFinder;
  /** Window entries by arrival, oldest first, for eviction. */
  private readonly entries: Entry[] = [];
  private head = 0;
  private readonly postings = new Map<string, Set<Entry>>();
  private readonly df = new Map<string, number>();
  private latest = 0;

  constructor(tuning: Partial<StoryTuning> = {}, finder = new EntityFinder(loadGazetteer())) {
    this.tuning = { ...DEFAULT_STORY_TUNING, ...tuning };
    this.finder = finder;
  }

  /** Articles in the window. */
  get size(): number {
    return this.entries.length - this.head;
  }

  assign(article: StoryArticle): Assignment {
    this.latest = Math.max(this.latest, article.publishedAt);
    this.evict();
    const words = phraseTerms(`${article.title}\n${article.text}`);
    const terms = new Map<string, number>();
    for (const w of words) terms.set(w, (terms.get(w) ?? 0) + 1);
    const evidence = [
      ...[...this.finder.find('', words)].map((e) => `e:${e}`),
      ...[...findQuantities(`${article.title}\n${article.text}`)].map((q) => `q:${q}`),
      ...(article.topics ?? []).map((t) => `t:${t}`),
    ];
    const entry: Entry = { article, story: undefined as unknown as Story, terms, evidence };

    let best: Entry | undefined;
    let bestScore = 0;
    for (const candidate of this.candidates(entry)) {
      const score = this.similarity(entry, candidate);
      const threshold = candidate.article.language === article.language ? this.tuning.sameLanguageThreshold : this.tuning.crossLanguageThreshold;
      if (score >= threshold && score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    let created = false;
    if (best) {
      entry.story = best.story;
      const story = best.story;
      story.articleIds.push(article.id);
      story.languages.add(article.language);
      story.sources.add(article.sourceId);
      for (const t of article.topics ?? []) story.topics.add(t);
      story.firstSeen = Math.min(story.firstSeen, article.publishedAt);
      story.lastSeen = Math.max(story.lastSeen, article.publishedAt);
    } else {
      created = true;
      entry.story = {
        id: storyIdFor(article.id),
        title: article.title,
        articleIds: [article.id],
        languages: new Set([article.language]),
        sources: new Set([article.sourceId]),
        topics: new Set(article.topics ?? []),
        firstSeen: article.publishedAt,
        lastSeen: article.publishedAt,
      };
    }
    this.add(entry);
    return { story: entry.story, created, score: bestScore };
  }

  private idf(feature: string): number {
    const n = Math.max(this.size, 50);
    return Math.log((n + 1) / ((this.df.get(feature) ?? 0) + 1));
  }

  /** Entries sharing a rare term or any language-free feature with the article, within the window. */
  private candidates(entry: Entry): Set<Entry> {
    const found = new Set<Entry>();
    const rare = [...entry.terms.keys()].sort((a, b) => (this.df.get(a) ?? 0) - (this.df.get(b) ?? 0)).slice(0, this.tuning.candidateTerms);
    for (const feature of [...rare, ...entry.evidence]) {
      const list = this.postings.get(feature);
      if (!list) continue;
      for (const other of list) {
        if (Math.abs(other.article.publishedAt - entry.article.publishedAt) <= this.tuning.windowMs) found.add(other);
      }
    }
    return found;
  }

  private similarity(a: Entry, b: Entry): number {
    const fade = Math.pow(0.5, Math.abs(a.article.publishedAt - b.article.publishedAt) / this.tuning.halfLifeMs);
    const evidence = this.evidenceSimilarity(a.evidence, b.evidence);
    if (a.article.language !== b.article.language) return evidence * fade;
    const words = this.termCosine(a.terms, b.terms);
    return Math.max(words, evidence * this.tuning.evidenceWeightSameLanguage) * fade;
  }

  private termCosine(a: Map<string, number>, b: Map<string, number>): number {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const [t, tf] of a) {
      const w = (1 + Math.log(tf)) * this.idf(t);
      na += w * w;
      const other = b.get(t);
      if (other !== undefined) dot += w * (1 + Math.log(other)) * this.idf(t);
    }
    for (const [t, tf] of b) {
      const w = (1 + Math.log(tf)) * this.idf(t);
      nb += w * w;
    }
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private evidenceSimilarity(a: string[], b: string[]): number {
    if (a.length === 0 || b.length === 0) return 0;
    const inB = new Set(b);
    let shared = 0;
    let wa = 0;
    let wb = 0;
    for (const f of a) {
      const w = this.idf(f);
      wa += w * w;
      if (inB.has(f)) shared += w * w;
    }
    for (const f of b) wb += this.idf(f) ** 2;
    return shared / Math.sqrt(wa * wb);
  }

  private add(entry: Entry): void {
    this.entries.push(entry);
    for (const feature of [...entry.terms.keys(), ...entry.evidence]) {
      this.df.set(feature, (this.df.get(feature) ?? 0) + 1);
      let list = this.postings.get(feature);
      if (!list) this.postings.set(feature, (list = new Set()));
      list.add(entry);
    }
  }

  /** Drops the articles published more than a window before the latest one. */
  private evict(): void {
    while (this.head < this.entries.length && this.entries[this.head].article.publishedAt < this.latest - this.tuning.windowMs) {
      const old = this.entries[this.head++];
      for (const feature of [...old.terms.keys(), ...old.evidence]) {
        const left = (this.df.get(feature) ?? 1) - 1;
        if (left <= 0) this.df.delete(feature);
        else this.df.set(feature, left);
        const list = this.postings.get(feature);
        list?.delete(old);
        if (list && list.size === 0) this.postings.delete(feature);
      }
    }
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
