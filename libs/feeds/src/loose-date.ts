/**
 * Dates as publishers write them. Feeds mostly use RFC 822 or ISO 8601, but with wrong weekdays,
 * missing zones or a space instead of 'T'; listing pages use local formats ('03.11.2025',
 * '3 ноября 2025', '2025年11月3日'). Hand-written rather than chrono-node: the formats are few and
 * fixed, day-first numeric dates must never be read month-first, and relative phrases ('yesterday')
 * must not be resolved against the collector's clock. A date without a zone is taken as UTC so the
 * result does not depend on the machine's time zone.
 */
const MONTHS: Record<string, number> = {};
const monthNames: string[][] = [
  ['jan', 'january', 'janvier', 'enero', 'января', 'январь', 'янв'],
  ['feb', 'february', 'février', 'fevrier', 'febrero', 'февраля', 'февраль', 'фев'],
  ['mar', 'march', 'mars', 'marzo', 'марта', 'март', 'мар'],
  ['apr', 'april', 'avril', 'abril', 'апреля', 'апрель', 'апр'],
  ['may', 'mai', 'mayo', 'мая', 'май'],
  ['jun', 'june', 'juin', 'junio', 'июня', 'июнь', 'июн'],
  ['jul', 'july', 'juillet', 'julio', 'июля', 'июль', 'июл'],
  ['aug', 'august', 'août', 'aout', 'agosto', 'августа', 'август', 'авг'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'сентября', 'сентябрь', 'сен'],
  ['oct', 'october', 'octobre', 'octubre', 'октября', 'октябрь', 'окт'],
  ['nov', 'november', 'novembre', 'noviembre', 'ноября', 'ноябрь', 'ноя'],
  ['dec', 'december', 'décembre', 'decembre', 'diciembre', 'декабря', 'декабрь', 'дек'],
];
monthNames.forEach((names, index) => names.forEach((name) => (MONTHS[name] = index + 1)));

const ZONES: Record<string, string> = {
  UT: '+00:00', UTC: '+00:00', GMT: '+00:00', Z: '+00:00',
  EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00', PST: '-08:00', PDT: '-07:00',
  CET: '+01:00', CEST: '+02:00', MSK: '+03:00',
};

/** An ISO 8601 string (UTC), or null when the text holds no recognisable date. */
export function parseLooseDate(input: string | null | undefined): string | null {
  if (!input) return null;
  const text = input.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  return iso(text) ?? rfc822(text) ?? numeric(text) ?? cjk(text) ?? named(text) ?? engineParse(text);
}

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, zone = '+00:00'): string | null {
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [zh, zm] = zone.slice(1).split(':').map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - sign * ((zh ?? 0) * 60 + (zm ?? 0)) * 60000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function zoneOf(raw: string | undefined): string | undefined {
  if (!raw) return '+00:00';
  if (/^[+-]\d{2}:?\d{2}$/.test(raw)) return `${raw.slice(0, 3)}:${raw.slice(-2)}`;
  return ZONES[raw.toUpperCase()];
}

function iso(text: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4})?$/i.exec(text);
  if (!m) return null;
  const zone = zoneOf(m[8]);
  if (!zone) return null;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms, zone);
}

/** RFC 822 and its common corruptions: any weekday (ignored), 'Oct 7 2022' order, named zones. */
function rfc822(text: string): string | null {
  const body = text.replace(/^\p{L}{2,9}\.?,\s*/u, '');
  const dayFirst = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{4}|[A-Z]{1,4})?$/i.exec(body);
  const monthFirst = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{4}|[A-Z]{1,4})?$/i.exec(body);
  const parts = dayFirst
    ? { d: dayFirst[1], mo: dayFirst[2], y: dayFirst[3], rest: dayFirst.slice(4) }
    : monthFirst
      ? { d: monthFirst[2], mo: monthFirst[1], y: monthFirst[3], rest: monthFirst.slice(4) }
      : null;
  if (!parts) return null;
  const month = MONTHS[parts.mo.toLowerCase()];
  const zone = zoneOf(parts.rest[3]);
  if (!month || !zone) return null;
  let year = +parts.y;
  if (year < 100) year += year < 70 ? 2000 : 1900;
  return build(year, month, +parts.d, +(parts.rest[0] ?? 0), +(parts.rest[1] ?? 0), +(parts.rest[2] ?? 0), 0, zone);
}

/** Day-first numeric dates, as SCO and most non-US sites print them: 03.11.2025, 03/11/2025. */
function numeric(text: string): string | null {
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/.exec(text);
  return m ? build(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0)) : null;
}

function cjk(text: string): string | null {
  const m = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2}):(\d{2}))?/.exec(text);
  return m ? build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0)) : null;
}

/** '3 November 2025', '3 ноября 2025 г.', 'November 3, 2025', also inside a longer line. */
function named(text: string): string | null {
  const lower = text.toLowerCase();
  const dayFirst = /(\d{1,2})\s+([\p{L}]{3,10})\.?,?\s+(\d{4})/u.exec(lower);
  if (dayFirst && MONTHS[dayFirst[2]]) return build(+dayFirst[3], MONTHS[dayFirst[2]], +dayFirst[1]);
  const monthFirst = /([\p{L}]{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})/u.exec(lower);
  if (monthFirst && MONTHS[monthFirst[1]]) return build(+monthFirst[3], MONTHS[monthFirst[1]], +monthFirst[2]);
  const isoInside = /(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (isoInside) return build(+isoInside[1], +isoInside[2], +isoInside[3]);
  const numericInside = /(?:^|\D)(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\D|$)/.exec(text);
  if (numericInside) return build(+numericInside[3], +numericInside[2], +numericInside[1]);
  return null;
}

// The zones the engine's parser understands: a named one, or an offset after the time of day.
const ENGINE_ZONE = /(?<=\d)Z\b|\b(?:UTC?|GMT|[ECMP][SD]T)\b|\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-]\d{2}:?\d{2}\b/i;

/** Last resort for shapes not listed above (the JavaScript engine's own lenient parser). */
function engineParse(text: string): string | null {
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) return null;
  // The engine reads a date without a zone in the machine's zone; its local fields are what the
  // publisher wrote, so they are read back as UTC.
  const local = new Date(parsed);
  const time = ENGINE_ZONE.test(text)
    ? parsed
    : Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getSeconds(), local.getMilliseconds());
  const year = new Date(time).getUTCFullYear();
  return year >= 1970 && year <= 2200 ? new Date(time).toISOString() : null;
}
