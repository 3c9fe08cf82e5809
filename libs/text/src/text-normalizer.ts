/**
 * The one character folding of every text the monitor indexes or matches: NFKC (full-width Latin
 * becomes ASCII, compatibility ideographs become the unified ones), lower case, ё as е (Russian
 * news prints both for the same word) and the typographic apostrophe as the ASCII one.
 *
 * Diacritics are kept: they tell words apart in the languages we stem (Russian й/и, Spanish
 * año/ano), and the Snowball stemmers expect them.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/’/g, "'");
}
