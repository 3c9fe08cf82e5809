import { simplifiedHanTable, toSimplifiedChinese } from './simplified-chinese';

describe('toSimplifiedChinese', () => {
  it('reads traditional drug-control words as simplified, character for character', () => {
    expect(toSimplifiedChinese('緝毒警察查獲罌粟與鴉片')).toBe('缉毒警察查获罂粟与鸦片');
    expect(toSimplifiedChinese('易製毒化學品管制')).toBe('易制毒化学品管制');
    expect(toSimplifiedChinese('禁毒合作')).toBe('禁毒合作');
  });

  it('keeps the length, so offsets into the original stay valid', () => {
    const text = '香港海關在機場檢獲約兩公斤懷疑可卡因。Police said 12 kg.';
    const simplified = toSimplifiedChinese(text);
    expect(simplified).toHaveLength(text.length);
    expect(simplified.indexOf('可卡因')).toBe(text.indexOf('可卡因'));
  });

  it('leaves simplified text, Latin and Cyrillic alone', () => {
    const text = '国家禁毒委员会 UNODC наркотики';
    expect(toSimplifiedChinese(text)).toBe(text);
  });

  it('maps Hong Kong variant forms too', () => {
    // 綫 is the Hong Kong form of 線 (line): both read 线.
    expect(toSimplifiedChinese('綫索')).toBe('线索');
    expect(simplifiedHanTable()['綫'.charCodeAt(0)]).toBe('线'.charCodeAt(0));
  });
});
