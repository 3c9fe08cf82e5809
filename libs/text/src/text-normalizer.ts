/**
 * The one character folding of every text the monitor indexes or matches: NFKC (full-width Latin
 * becomes ASCII, compatibility ideographs become the unified ones), lower case and ё as е (Russian
 * news prints both for the same word). The classifier builds its per-character table from
 * foldLetters, so it folds exactly as search and subscriptions do.
 *
 * Diacritics are kept: they tell words apart in the languages we stem (Russian й/и, Spanish
 * año/ano), and the Snowball stemmers expect them.
 */
export function foldLetters(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е');
}

/** foldLetters, and the typographic apostrophe as the ASCII one, so "UNODC’s" is one word either way. */
export function foldText(text: string): string {
  return foldLetters(text).replace(/’/g, "'");
}
