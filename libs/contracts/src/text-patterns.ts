/**
 * JSON Schema `pattern` of a string that is not empty once trimmed: it holds a character outside
 * what String.prototype.trim removes. Spelled out rather than `\S`, which regex engines (the API's
 * and its clients') read differently outside ASCII.
 */
export const NOT_BLANK_PATTERN = '[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
