// The regression guard of the second look on the held-out part of the corpus, with the real
// embedder (as corpus-regression.spec.ts guards the rules alone): a retrained second-look model,
// or a taxonomy change, that costs more than 0.02 macro-F1 in any language group fails here. The
// floor moves only by `npm run eval:classifier -- --second-look --record`, said in the taxonomy's
// changelog. It measures, it does not time.
import { loadDefaultClassifier, secondLookRegressions, startSecondLook } from '@monitor/classifier';
import { encoderPython } from './support/encoder-python';

jest.setTimeout(900_000);

describe('the second look on the held-out part of the corpus', () => {
  it('stays within 0.02 macro-F1 of its recorded figures, overall and in en, ru and zh', async () => {
    const look = await startSecondLook({ python: encoderPython(), threads: 2 });
    try {
      expect(await secondLookRegressions(loadDefaultClassifier({ secondOpinion: false }), look)).toEqual([]);
    } finally {
      await look.embedder.close();
    }
  });
});
