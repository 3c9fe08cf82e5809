import * as chardet from 'chardet';
import iconv from 'iconv-lite';

export interface DecodedText {
  text: string;
  /** The charset the bytes were decoded with (iconv-lite name). */
  charset: string;
  /** Where that charset came from. */
  source: 'bom' | 'http' | 'document' | 'detected' | 'default';
}

/**
 * Turns a fetched body into text. Order: byte-order mark, HTTP Content-Type charset, the document's
 * own declaration (XML prolog, HTML meta), then detection. Declarations are verified, because
 * publishers get them wrong: a body declared as a single-byte charset (ISO-8859-1, windows-125x)
 * that is valid UTF-8 with multi-byte sequences was written as UTF-8 and is read as such; a body
 * declared UTF-8 that is not valid UTF-8 is detected instead; a declared charset iconv-lite does
 * not know is ignored.
 */
export function decodeBody(bytes: Buffer, contentType?: string | null): DecodedText {
  const bom = charsetFromBom(bytes);
  if (bom) return { text: iconv.decode(bytes, bom), charset: bom, source: 'bom' };

  const declared: Array<[string | undefined, DecodedText['source']]> = [
    [charsetFromContentType(contentType), 'http'],
    [charsetFromDocument(bytes), 'document'],
  ];
  for (const [name, source] of declared) {
    const charset = name && normaliseCharset(name);
    if (!charset) continue;
    const verified = verifyDeclared(bytes, charset);
    if (verified) return { text: iconv.decode(bytes, verified), charset: verified, source };
  }

  if (isValidUtf8(bytes)) return { text: bytes.toString('utf8'), charset: 'utf-8', source: 'default' };
  const guess = chardet.detect(bytes);
  const detected = guess && normaliseCharset(guess);
  if (detected && detected !== 'utf-8') return { text: iconv.decode(bytes, detected), charset: detected, source: 'detected' };
  // Nothing fits: windows-1252 maps every byte, so the text is readable rather than full of U+FFFD.
  return { text: iconv.decode(bytes, 'windows-1252'), charset: 'windows-1252', source: 'detected' };
}

function charsetFromBom(bytes: Buffer): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

export function charsetFromContentType(contentType?: string | null): string | undefined {
  const match = /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return match?.[1];
}

/** The XML prolog's encoding or an HTML meta charset, read from the first bytes as ASCII. */
export function charsetFromDocument(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 2048).toString('latin1');
  const prolog = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (prolog) return prolog[1];
  const meta = /<meta[^>]+charset\s*=\s*["']?([^"'\s/>;]+)/i.exec(head);
  return meta?.[1];
}

function normaliseCharset(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  // WHATWG: a page labelled ISO-8859-1 or ASCII is decoded as windows-1252 (the Euro sign at 0x80
  // and curly quotes are common in such feeds); GB2312 as its superset GBK.
  const alias: Record<string, string> = {
    'iso-8859-1': 'windows-1252', 'iso8859-1': 'windows-1252', latin1: 'windows-1252', 'us-ascii': 'windows-1252', ascii: 'windows-1252',
    gb2312: 'gbk', 'x-gbk': 'gbk', utf8: 'utf-8', 'utf-8': 'utf-8',
  };
  const candidate = alias[lower] ?? lower;
  return iconv.encodingExists(candidate) ? candidate : undefined;
}

const MULTI_BYTE = new Set(['utf-8', 'utf-16le', 'utf-16be', 'utf-16', 'gbk', 'gb18030', 'big5', 'shift_jis', 'euc-jp', 'euc-kr', 'cp936', 'cp949', 'cp950']);

function verifyDeclared(bytes: Buffer, charset: string): string | undefined {
  if (charset === 'utf-8') return isValidUtf8(bytes) ? 'utf-8' : undefined;
  if (charset.startsWith('utf-16')) {
    // A UTF-16 document has NUL bytes in its ASCII markup; one without is mislabelled.
    return bytes.subarray(0, 200).includes(0) ? charset : undefined;
  }
  if (!MULTI_BYTE.has(charset) && hasMultiByteUtf8(bytes)) return 'utf-8';
  return charset;
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasMultiByteUtf8(bytes: Buffer): boolean {
  return bytes.some((b) => b >= 0x80) && isValidUtf8(bytes);
}
