import { Converter } from 'opencc-js';

/*
 * Traditional Chinese (Taiwan, Hong Kong, Macau: 緝毒, 罌粟, 禁毒合作) is read as simplified, so one
 * term list serves both scripts. The mapping comes from OpenCC (opencc-js), the converter the
 * Chinese-language web uses, rather than a hand-made table. It is taken one character at a time:
 * a character-for-character map keeps every offset where it was, so evidence still points into the
 * original text. OpenCC's phrase rules (Taiwan's 海洛英 for 海洛因, say) change lengths and are left
 * to the taxonomy, which lists such regional words as terms of their own.
 */

let table: Uint16Array | undefined;

/**
 * Code unit → its simplified code unit (itself when it has none, or when OpenCC maps it to more
 * than one unit). Built once, on first use (~150 ms).
 */
export function simplifiedHanTable(): Uint16Array {
  if (table) return table;
  const built = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) built[c] = c;
  // Hong Kong and Taiwan variants first, so a character only they write differently still maps.
  const converters = [Converter({ from: 'hk', to: 'cn' }), Converter({ from: 'tw', to: 'cn' }), Converter({ from: 't', to: 'cn' })];
  for (const [first, last] of HAN_BLOCKS) {
    for (let c = first; c <= last; c++) {
      const ch = String.fromCharCode(c);
      for (const convert of converters) {
        const simplified = convert(ch);
        if (simplified.length === 1 && simplified !== ch) {
          built[c] = simplified.charCodeAt(0);
          break;
        }
      }
    }
  }
  table = built;
  return table;
}

/** The BMP blocks that hold traditional characters: CJK Extension A, Unified Ideographs, Compatibility Ideographs. */
const HAN_BLOCKS: Array<[number, number]> = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

/** `text` with each traditional Chinese character replaced by its simplified form; same length. */
export function toSimplifiedChinese(text: string): string {
  const map = simplifiedHanTable();
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const s = map[c];
    if (s !== c) {
      out += text.slice(from, i) + String.fromCharCode(s);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
