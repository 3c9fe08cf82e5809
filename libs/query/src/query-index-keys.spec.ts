import { analyzeDocument, evaluateQuery } from './query-evaluator';
import { documentKeys, requiredKeys } from './query-index-keys';
import { parseQuery } from './query-parser';

const keys = (q: string) => requiredKeys(parseQuery(q).root);

describe('requiredKeys and documentKeys', () => {
  it('files a query under a term or a prefix it needs, and under none when it may match by absence', () => {
    expect(keys('heroin -opium')).toEqual(['t:heroin']);
    expect(keys('heroin OR traffick*')).toEqual(['t:heroin', 'p:tra']);
    expect(keys('-opium')).toBeNull();
    expect(keys('heroin OR -opium')).toBeNull();
    expect(keys('"drug trafficking" heroin')).toEqual(['t:traffick']);
  });

  it('never leaves out a document the query matches', () => {
    const queries = ['heroin', 'traffick*', 'tr*', '禁毒合作', '"northern route"', 'opium OR 缉毒', 'наркот*', '(a1 OR heroin) -opium'];
    const texts = ['Traffickers moved heroin on the northern routes', '双方加强禁毒合作与缉毒行动', 'Оборот наркотиков растет', 'tr'];
    for (const text of texts) {
      const document = analyzeDocument([text]);
      const held = documentKeys(document);
      for (const query of queries) {
        const parsed = parseQuery(query);
        const required = requiredKeys(parsed.root);
        if (!evaluateQuery(parsed, document) || required === null) continue;
        expect([query, text, required.some((key) => held.has(key))]).toEqual([query, text, true]);
      }
    }
  });
});
