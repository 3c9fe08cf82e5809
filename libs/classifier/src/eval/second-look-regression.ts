/**
 * The second look's regression guard on the held-out part (tests/second-look-regression.test.ts),
 * as corpus-regression.spec.ts is the rules': the floor is corpus/heldout-baseline-second-look.json.
 */
import type { TopicClassifier } from '../article-classifier';
import type { SecondLook } from '../second-look';
import { SECOND_LOOK_BASELINE_FILE, evaluateByLanguage, readBaseline, regressions } from './corpus-evaluation';
import { loadCorpus } from './labelled-corpus';
import { readWithSecondLook } from './second-look-reader';

/** The groups that fell more than ALLOWED_DROP below the recorded floor, as sentences (none: the guard holds). */
export async function secondLookRegressions(classifier: TopicClassifier, look: SecondLook): Promise<string[]> {
  const { heldout } = loadCorpus();
  const grouped = evaluateByLanguage(await readWithSecondLook(classifier, look, heldout), heldout);
  return regressions(grouped, readBaseline(SECOND_LOOK_BASELINE_FILE));
}
