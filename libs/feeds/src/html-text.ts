import { compile } from 'html-to-text';

/**
 * Compiled once: `convert` compiles its options (the selectors) on every call, which cost about
 * five times the conversion itself and made HTML to text the classifier's bottleneck.
 */
const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * Readable plain text of article HTML, for the classifier and the search index: block elements
 * become line breaks, links keep their text only, images are dropped, entities are decoded.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  return convert(html).replace(/\n{3,}/g, '\n\n').trim();
}
