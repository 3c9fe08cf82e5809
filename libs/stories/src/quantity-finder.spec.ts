import { findQuantities } from './quantity-finder';

describe('findQuantities', () => {
  it('reads one seized mass the same in English, Russian and Chinese, however it is rounded', () => {
    const en = findQuantities('Police seized 1.52 tonnes of heroin.');
    const ru = findQuantities('Изъято 1 520 кг героина.');
    const zh = findQuantities('警方缴获海洛因1.5吨。');
    expect(en).toEqual(new Set(['mass:1500000']));
    expect(ru).toEqual(en);
    expect(zh).toEqual(en);
    expect(findQuantities('两吨冰毒')).toEqual(new Set(['mass:2000000']));
  });

  it('reads ordinals of meetings in the three languages', () => {
    expect(findQuantities('the 19th meeting of the heads')).toEqual(new Set(['ord:19']));
    expect(findQuantities('19-е совещание руководителей')).toEqual(new Set(['ord:19']));
    expect(findQuantities('第十九次会议')).toEqual(new Set(['ord:19']));
    expect(findQuantities('第19届会议')).toEqual(new Set(['ord:19']));
  });

  it('keeps counts and multipliers, and leaves years and days of the month out', () => {
    expect(findQuantities('On 26 June 2024, 42 suspects were held and 3.2 million pills seized.')).toEqual(new Set(['n:42', 'n:3200000']));
    expect(findQuantities('抓获犯罪嫌疑人四十二名')).toEqual(new Set(['n:42']));
    expect(findQuantities('1,5 млн таблеток')).toEqual(new Set(['n:1500000']));
  });
});
