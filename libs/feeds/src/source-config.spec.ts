import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSourcesFile, parseSourcesYaml } from './source-config';

const valid = `
sources:
  - id: sco-en
    name: SCO Secretariat (English)
    organisation: SCO
    language: en
    candidates:
      - { url: "https://eng.example.org/news/", kind: listing }
    listing: { item: ".news-item", link: "a", date: ".date" }
  - id: un-news-en
    name: UN News
    organisation: UN
    language: en
    enabled: false
    pollIntervalMinutes: 60
    candidates:
      - { url: "https://news.example.org/feed/rss.xml", kind: feed }
`;

describe('sources file', () => {
  it('loads sources with defaults applied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sources-'));
    writeFileSync(join(dir, 'sources.yaml'), valid);
    const sources = loadSourcesFile(join(dir, 'sources.yaml'));
    expect(sources.map((s) => s.id)).toEqual(['sco-en', 'un-news-en']);
    expect(sources[0]).toMatchObject({ enabled: true, pollIntervalMinutes: 30, maxArticlesPerPoll: 20 });
    expect(sources[1]).toMatchObject({ enabled: false, pollIntervalMinutes: 60 });
  });

  it('names the file, the source and the field in errors', () => {
    expect(() => parseSourcesYaml(valid.replace('"https://news.example.org/feed/rss.xml"', '"ftp://x"'), 'sources.yaml')).toThrow(
      /^sources\.yaml: sources\[1\] \(id un-news-en\): candidates\.0\.url: /,
    );
    expect(() => parseSourcesYaml(valid.replace('id: sco-en', 'id: SCO EN'), 'sources.yaml')).toThrow(/sources\[0\] \(id SCO EN\): id: lower-case/);
    expect(() => parseSourcesYaml(valid.replace('id: un-news-en', 'id: sco-en'), 'sources.yaml')).toThrow(/sources\[1\] \(id sco-en\): id: duplicate/);
    expect(() => parseSourcesYaml(valid.replace(/    listing: .*\n/, ''), 'sources.yaml')).toThrow(/sources\[0\] \(id sco-en\): listing: required/);
    expect(() => parseSourcesYaml('sources: [\n', 'sources.yaml')).toThrow(/sources\.yaml: not valid YAML/);
    expect(() => loadSourcesFile('/nonexistent/sources.yaml')).toThrow(/cannot read/);
  });
});
