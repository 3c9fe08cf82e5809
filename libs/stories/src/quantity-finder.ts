/**
 * Numbers that tell one event from another in any language: quantities seized ("1.5 tonnes",
 * "1 520 кг", "1.5吨" are one mass), counts ("42 suspects", "42名"), and ordinals of recurring
 * meetings ("the 19th meeting", "19-е совещание", "第十九次会议"). Each becomes a key such as
 * `mass:1500000` (grams) or `ord:19`; values are rounded to two significant digits, because
 * outlets round the same figure differently.
 *
 * Written here rather than taken from a number-entity library: the ones on npm (for instance
 * compromise's numbers plugin) read English only; Chinese numerals are read with `nzh`.
 */
import Nzh from 'nzh';

const MASS_UNITS: Array<[RegExp, number]> = [
  [/^(?:metric\s+)?(?:tonnes?|tons?|t|тонн[а-я]*|т|吨|公吨)(?![a-zа-я])/iu, 1e6],
  [/^(?:kg|kilograms?|kilos?|кг|килограмм[а-я]*|公斤|千克)(?![a-zа-я])/iu, 1e3],
  [/^(?:g|grams?|г|грамм[а-я]*|克)(?![a-zа-я])/iu, 1],
];
const MULTIPLIERS: Array<[RegExp, number]> = [
  [/^(?:billion|bn|млрд\.?|миллиард[а-я]*)(?![a-zа-я])/iu, 1e9],
  [/^(?:million|mln|m|млн\.?|миллион[а-я]*)(?![a-zа-я])/iu, 1e6],
  [/^(?:thousand|тыс\.?|тысяч[а-я]*)(?![a-zа-я])/iu, 1e3],
  [/^亿/u, 1e8],
  [/^万/u, 1e4],
];
const ORDINAL_AFTER = /^(?:st|nd|rd|th|-?[ейяго]{1,2}|-?м)(?![a-zа-я])/iu;
const ARABIC = /(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)(?:[.,](\d+))?/gu;
const CHINESE = /第?([零〇一二两三四五六七八九十百千]+)(次|届|吨|公斤|千克|名|人|起|个|余)/gu;
const CHINESE_ORDINAL = /第\s*(\d+)\s*(?:次|届)/gu;

const round2 = (x: number): number => {
  if (x === 0) return 0;
  const scale = Math.pow(10, Math.floor(Math.log10(Math.abs(x))) - 1);
  return Math.round(x / scale) * scale;
};

function unitAfter(rest: string): { multiplier: number; mass?: number; length: number } {
  let at = rest.match(/^\s*/u)![0].length;
  let multiplier = 1;
  for (const [re, factor] of MULTIPLIERS) {
    const m = rest.slice(at).match(re);
    if (m) {
      multiplier = factor;
      at += m[0].length;
      at += rest.slice(at).match(/^\s*/u)![0].length;
      break;
    }
  }
  for (const [re, grams] of MASS_UNITS) {
    const m = rest.slice(at).match(re);
    if (m) return { multiplier, mass: grams, length: at + m[0].length };
  }
  return { multiplier, length: at };
}

/** The number keys of a text (see the file's comment). */
export function findQuantities(text: string): Set<string> {
  const keys = new Set<string>();
  for (const match of text.matchAll(ARABIC)) {
    const whole = Number(match[1].replace(/[ \u00a0\u202f,]/gu, ''));
    const value = match[2] !== undefined ? Number(`${whole}.${match[2]}`) : whole;
    if (!Number.isFinite(value)) continue;
    const end = (match.index ?? 0) + match[0].length;
    const rest = text.slice(end, end + 24);
    if (ORDINAL_AFTER.test(rest) && value < 1000) {
      keys.add(`ord:${value}`);
      continue;
    }
    const unit = unitAfter(rest);
    if (unit.mass !== undefined) {
      keys.add(`mass:${round2(value * unit.multiplier * unit.mass)}`);
      continue;
    }
    const scaled = value * unit.multiplier;
    // A year, or a day of the month, says little about which event it is.
    const isYear = unit.multiplier === 1 && Number.isInteger(value) && value >= 1950 && value <= 2100;
    if (!isYear && scaled >= 32) keys.add(`n:${round2(scaled)}`);
  }
  for (const match of text.matchAll(CHINESE_ORDINAL)) keys.add(`ord:${Number(match[1])}`);
  for (const match of text.matchAll(CHINESE)) {
    // 两 is the counting form of 二 (两吨, two tonnes), which nzh does not read.
    const value = Number(Nzh.cn.decodeS(match[1].replace(/两/gu, '二')));
    if (!Number.isFinite(value) || value === 0) continue;
    const unit = match[2];
    if (match[0].startsWith('第') && (unit === '次' || unit === '届')) keys.add(`ord:${value}`);
    else if (unit === '吨') keys.add(`mass:${round2(value * 1e6)}`);
    else if (unit === '公斤' || unit === '千克') keys.add(`mass:${round2(value * 1e3)}`);
    else if (value >= 32) keys.add(`n:${round2(value)}`);
  }
  return keys;
}
