import { analyzeDocument, evaluateQuery } from './query-evaluator';
import { parseQuery } from './query-parser';

const en = analyzeDocument([
  'Joint operation',
  'Customs officers seized 120 kg of heroin near the Afghan border. Drug-control agencies met.',
]);
const ru = analyzeDocument(['', 'Пограничники изъяли крупную партию наркотиков на границе с Афганистаном.']);
const zh = analyzeDocument(['上海合作组织成员国禁毒部门负责人会议在北京举行', '']);

const m = (q: string, doc = en) => evaluateQuery(parseQuery(q), doc);

describe('evaluateQuery', () => {
  it('needs every word (implicit AND), matching inflected forms', () => {
    expect(m('heroin seize')).toBe(true);
    expect(m('heroin cocaine')).toBe(false);
    expect(m('officer')).toBe(true);
    expect(m('heroin in cocaine')).toBe(false);
  });

  it('matches quoted phrases only as consecutive words of one field', () => {
    expect(m('"customs officers"')).toBe(true);
    expect(m('"officers customs"')).toBe(false);
    expect(m('"drug control"')).toBe(true);
    expect(m('drug-control')).toBe(true);
    // "operation" ends the title and "Customs" opens the text: no phrase across fields.
    expect(m('"operation customs"')).toBe(false);
  });

  it('supports OR, |, negation, grouping and prefixes', () => {
    expect(m('cocaine OR heroin')).toBe(true);
    expect(m('cocaine | methamphetamine')).toBe(false);
    expect(m('heroin -cocaine')).toBe(true);
    expect(m('heroin -customs')).toBe(false);
    expect(m('-"joint operation"')).toBe(false);
    expect(m('-cocaine')).toBe(true);
    expect(m('(cocaine OR heroin) border')).toBe(true);
    expect(m('(cocaine OR heroin) -(border OR port)')).toBe(false);
    expect(m('afgh*')).toBe(true);
    expect(m('afgz*')).toBe(false);
    expect(m('agenc*')).toBe(true);
  });

  it('finds Russian words in other cases and Chinese words inside unspaced text', () => {
    expect(m('наркотики', ru)).toBe(true);
    expect(m('граница', ru)).toBe(true);
    expect(m('героин', ru)).toBe(false);
    expect(m('наркот*', ru)).toBe(true);
    expect(m('禁毒', zh)).toBe(true);
    expect(m('"禁毒部门"', zh)).toBe(true);
    expect(m('禁部', zh)).toBe(false);
    expect(m('禁毒 -北京', zh)).toBe(false);
    expect(m('京', zh)).toBe(true);
  });

  it('ignores case and Unicode width', () => {
    expect(m('HEROIN')).toBe(true);
    expect(m('ＨＥＲＯＩＮ')).toBe(true);
  });
});
