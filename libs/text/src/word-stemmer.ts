import { newStemmer, Stemmer } from 'snowball-stemmers';

/** ISO 639-1 codes of the Snowball stemmers the package ships, by the name it knows them by. */
const SNOWBALL_BY_LANGUAGE: Record<string, string> = {
  en: 'english', ru: 'russian', fr: 'french', es: 'spanish', de: 'german', it: 'italian', pt: 'portuguese', nl: 'dutch',
  sv: 'swedish', da: 'danish', no: 'norwegian', nb: 'norwegian', fi: 'finnish', hu: 'hungarian', ro: 'romanian',
  tr: 'turkish', cs: 'czech', ga: 'irish', ca: 'catalan', eu: 'basque', sl: 'slovene',
};

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

// Snowball costs microseconds per word and news vocabulary repeats, so each stemmer remembers its
// answers, bounded so that a stream of unique tokens cannot grow memory without limit.
const MEMO_LIMIT = 200_000;
const stemmers = new Map<string, (word: string) => string>();

/** The languages a stemmer exists for (ISO 639-1). */
export const STEMMED_LANGUAGES: readonly string[] = Object.keys(SNOWBALL_BY_LANGUAGE);

/** A memoised stemmer of a language (ISO 639-1, region ignored), or null when there is none. */
export function stemmerFor(language: string): ((word: string) => string) | null {
  const algorithm = SNOWBALL_BY_LANGUAGE[language.toLowerCase().slice(0, 2)];
  if (!algorithm) return null;
  let stem = stemmers.get(algorithm);
  if (!stem) {
    const inner: Stemmer = newStemmer(algorithm);
    const memo = new Map<string, string>();
    stem = (word: string) => {
      let out = memo.get(word);
      if (out === undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        out = inner.stem(word);
        memo.set(word, out);
      }
      return out;
    };
    stemmers.set(algorithm, stem);
  }
  return stem;
}

const russian = stemmerFor('ru')!;
const english = stemmerFor('en')!;

/**
 * Stems a folded word by its script: Cyrillic with the Russian stemmer, Latin with the English one,
 * anything else left as it is. By script and not by the article's declared language because a
 * query has no language and must reach the same term as the text (and feeds often declare the
 * wrong one, and an article in Russian names "UNODC").
 */
export function stemWord(word: string): string {
  if (CYRILLIC.test(word)) return russian(word);
  if (LATIN.test(word)) return english(word);
  return word;
}
