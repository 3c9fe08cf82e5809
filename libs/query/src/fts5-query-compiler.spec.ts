import Database from 'better-sqlite3';
import { indexTerms } from '@monitor/text';
import { parseQuery } from './query-parser';
import { toFts5Condition, toFts5Match } from './fts5-query-compiler';

describe('toFts5Match', () => {
  it('writes phrases, prefixes, AND, OR and binary NOT', () => {
    expect(toFts5Match(parseQuery('heroin "drug trafficking"'))).toBe('("heroin" AND "drug traffick")');
    expect(toFts5Match(parseQuery('heroin OR traffick*'))).toBe('("heroin" OR "traffick" *)');
    expect(toFts5Match(parseQuery('heroin -opium -cannabis'))).toBe('(("heroin") NOT ("opium" OR "cannabi"))');
  });

  it('has no MATCH for a negation that stands alone in its group', () => {
    expect(toFts5Match(parseQuery('-heroin'))).toBeNull();
    expect(toFts5Match(parseQuery('heroin OR -opium'))).toBeNull();
  });
});

describe('toFts5Condition on a real FTS5 table', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'")`);
  const texts = [
    ['Heroin seized', 'Traffickers used the northern route'],
    ['Opium fields', 'No heroin this year'],
    ['禁毒合作', '双方同意加强合作'],
  ];
  const insert = db.prepare('INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)');
  texts.forEach(([title, body], i) => insert.run(i + 1, indexTerms(title).join(' '), indexTerms(body).join(' ')));
  const rows = (q: string) => {
    const { sql, params } = toFts5Condition(parseQuery(q), 'rowid', 'docs');
    return db.prepare(`SELECT rowid FROM docs WHERE ${sql} ORDER BY rowid`).all(...params).map((row) => (row as { rowid: number }).rowid);
  };
  afterAll(() => db.close());

  it('runs every shape of query', () => {
    expect(rows('heroin')).toEqual([1, 2]);
    expect(rows('heroin -opium')).toEqual([1]);
    expect(rows('-heroin')).toEqual([3]);
    expect(rows('traffick* OR 禁毒')).toEqual([1, 3]);
    expect(rows('opium OR -heroin')).toEqual([2, 3]);
    expect(rows('"northern route"')).toEqual([1]);
    expect(rows('"seized traffickers"')).toEqual([]);
    expect(rows('毒合作')).toEqual([3]);
    expect(rows('禁合')).toEqual([]);
  });
});
