import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecondLabels, secondAnnotator } from './annotator-agreement';
import { evaluateByLanguage } from './corpus-evaluation';
import type { CorpusItem } from './labelled-corpus';

const item = (id: string, lang: 'en' | 'ru' | 'zh', labels: string[]): CorpusItem => ({
  id,
  title: `title of ${id}`,
  text: `text of ${id}`,
  lang,
  labels,
  source: 'probe',
  url: `https://example.org/${id}`,
  published: '2026-01-01',
  notes: '',
});

const items = [
  item('a', 'en', ['counter-narcotics-operations']),
  item('b', 'en', ['drug-use-health', 'counter-narcotics-operations']),
  item('c', 'zh', []),
  item('d', 'zh', ['precursors']),
  item('e', 'ru', ['narcoterrorism']),
];

function labelsFile(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agreement-')), 'second.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('a second annotator measured against the corpus labels', () => {
  it('agrees fully when the labels are the same', () => {
    const file = labelsFile(items.map((i) => JSON.stringify({ id: i.id, topics: i.labels })));
    const agreement = evaluateByLanguage(secondAnnotator(items, readSecondLabels(file, items)), items);
    expect(agreement.all.macroF1).toBe(1);
    expect(agreement.zh.articles).toBe(2);
  });

  it('counts a topic it adds as a false positive and one it leaves out as a false negative, in that language only', () => {
    const file = labelsFile([
      JSON.stringify({ id: 'a', topics: ['counter-narcotics-operations'] }),
      JSON.stringify({ id: 'b', topics: ['counter-narcotics-operations'] }),
      JSON.stringify({ id: 'c', topics: ['precursors'] }),
      JSON.stringify({ id: 'd', topics: ['precursors'] }),
      JSON.stringify({ id: 'e', topics: ['narcoterrorism'] }),
    ]);
    const agreement = evaluateByLanguage(secondAnnotator(items, readSecondLabels(file, items)), items);
    const topic = (lang: 'en' | 'zh', id: string) => agreement[lang].topics.find((t) => t.id === id)!;
    expect(topic('en', 'drug-use-health')).toMatchObject({ support: 1, tp: 0, fn: 1 });
    expect(topic('zh', 'precursors')).toMatchObject({ support: 1, tp: 1, fp: 1, precision: 0.5 });
    expect(agreement.ru.macroF1).toBe(1);
    expect(agreement.en.macroF1).toBeCloseTo(0.5);
  });

  it('reads only the items it labelled, and names one it did not', () => {
    const file = labelsFile([JSON.stringify({ id: 'a', topics: [] })]);
    const reader = secondAnnotator(items, readSecondLabels(file, items));
    expect(reader.classify({ title: 'title of a', text: 'text of a' }).topics).toEqual([]);
    expect(() => reader.classify({ title: 'title of b', text: 'text of b' })).toThrow('did not label "title of b"');
  });

  it('refuses an unknown id, a repeated id and a topic outside the taxonomy, naming the line', () => {
    expect(() => readSecondLabels(labelsFile(['{"id": "zz", "topics": []}']), items)).toThrow('second.jsonl:1: "id" "zz" names no corpus item');
    expect(() => readSecondLabels(labelsFile(['{"id": "a", "topics": []}', '{"id": "a", "topics": []}']), items)).toThrow('second.jsonl:2: "a" is labelled twice');
    expect(() => readSecondLabels(labelsFile(['{"id": "a", "topics": ["drugs"]}']), items)).toThrow('second.jsonl:1: "topics" must be a list of topic ids');
    expect(() => readSecondLabels(labelsFile(['{"id": "a",']), items)).toThrow('second.jsonl:1: invalid JSON');
  });
});
