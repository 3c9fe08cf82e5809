import * as iconv from 'iconv-lite';
import type { DemoCharset } from './demo-site-map';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML and XML text nodes and attribute values. Hand-written because the five
 * predefined entities are all our own generated markup needs; control characters that XML 1.0
 * forbids are dropped so an item added at run time cannot make a feed ill-formed by accident.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const encodable = new Map<string, boolean>();

/**
 * Encodes a generated XML or HTML document in a legacy charset with iconv-lite. Characters the
 * charset cannot hold (an emoji in a windows-1251 feed) become numeric character references
 * instead of iconv's silent '?', so the text survives. Only valid for documents whose non-ASCII
 * characters all sit in text or attribute values, which holds for everything this lib renders.
 */
export function encodeDocument(document: string, charset: DemoCharset): Buffer {
  if (charset === 'utf-8') return Buffer.from(document, 'utf8');
  let safe = '';
  for (const char of document) {
    if (char.charCodeAt(0) < 0x80 || canEncode(char, charset)) safe += char;
    else safe += `&#x${char.codePointAt(0)!.toString(16)};`;
  }
  return iconv.encode(safe, charset);
}

function canEncode(char: string, charset: DemoCharset): boolean {
  const key = `${charset}:${char}`;
  let result = encodable.get(key);
  if (result === undefined) {
    result = iconv.decode(iconv.encode(char, charset), charset) === char;
    encodable.set(key, result);
  }
  return result;
}
