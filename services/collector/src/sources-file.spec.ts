import { loadSourcesFile } from '@monitor/feeds';
import { join } from 'node:path';

describe('the shipped sources file', () => {
  const sources = loadSourcesFile(join(__dirname, '..', 'config', 'sources.yaml'));

  it('validates and has the SCO sites in English, Russian and Chinese', () => {
    expect(sources.filter((s) => s.organisation === 'SCO').map((s) => s.language).sort()).toEqual(['en', 'ru', 'zh']);
  });

  it('covers UNODC, INCB, UN News and the EU drugs agency, each with at least one candidate URL', () => {
    for (const organisation of ['UNODC', 'INCB', 'UN', 'EUDA']) {
      const matching = sources.filter((s) => s.organisation.toUpperCase().startsWith(organisation));
      expect(matching.length).toBeGreaterThan(0);
      for (const source of matching) expect(source.candidates.length).toBeGreaterThan(0);
    }
  });

  it('points only at public https or http hosts (the SSRF guard refuses others anyway)', () => {
    for (const source of sources) {
      for (const candidate of source.candidates) expect(new URL(candidate.url).hostname).not.toMatch(/^(localhost|127\.|10\.|192\.168\.)/);
    }
  });
});
