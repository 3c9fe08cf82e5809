import { ValidationError } from '@monitor/contracts';
import { analyseText, compileQuery } from './subscription-query';

const en = analyseText('Joint operation: customs officers seized 120 kg of heroin near the Afghan border. Drug-control agencies met.', 'en');
const ru = analyseText('Пограничники изъяли крупную партию наркотиков на границе с Афганистаном.', 'ru');
const zh = analyseText('上海合作组织成员国禁毒部门负责人会议在北京举行', 'zh');

const m = (q: string, doc = en) => compileQuery(q).matches(doc);

describe('subscription query', () => {
  it('needs every word (implicit AND), matching inflected forms', () => {
    expect(m('heroin seize')).toBe(true);
    expect(m('heroin cocaine')).toBe(false);
    expect(m('officer')).toBe(true);
  });

  it('matches quoted phrases only as consecutive words', () => {
    expect(m('"customs officers"')).toBe(true);
    expect(m('"officers customs"')).toBe(false);
    expect(m('"drug control"')).toBe(true);
    expect(m('drug-control')).toBe(true);
  });

  it('supports OR, | , negation, grouping and prefixes', () => {
    expect(m('cocaine OR heroin')).toBe(true);
    expect(m('cocaine | methamphetamine')).toBe(false);
    expect(m('heroin -cocaine')).toBe(true);
    expect(m('heroin -customs')).toBe(false);
    expect(m('-"joint operation"')).toBe(false);
    expect(m('(cocaine OR heroin) border')).toBe(true);
    expect(m('(cocaine OR heroin) -(border OR port)')).toBe(false);
    expect(m('afgh*')).toBe(true);
  });

  it('finds Russian words in other cases and Chinese words inside unspaced text', () => {
    expect(m('наркотики', ru)).toBe(true);
    expect(m('Афганистан граница', ru)).toBe(true);
    expect(m('героин', ru)).toBe(false);
    expect(m('禁毒', zh)).toBe(true);
    expect(m('"禁毒部门"', zh)).toBe(true);
    expect(m('禁毒 -北京', zh)).toBe(false);
  });

  it('ignores case and Unicode width', () => {
    expect(m('HEROIN')).toBe(true);
    expect(m('ＨＥＲＯＩＮ')).toBe(true);
  });

  it('rejects what it cannot read, naming the query field', () => {
    for (const bad of ['"open', '(a OR b', 'a)', '   ', '---']) {
      expect(() => compileQuery(bad)).toThrow(ValidationError);
    }
  });
});
