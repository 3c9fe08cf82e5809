import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from './conformance';

describe('conformance CLI', () => {
  it('prints one line per file starting with its name, a summary, and fails if any file is unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
    writeFileSync(join(dir, 'good.xml'), '<rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://e.org/a</link></item></channel></rss>');
    writeFileSync(join(dir, 'empty.xml'), '');
    const out: string[] = [];
    const code = runConformance(dir, (line) => out.push(line));
    expect(out[0]).toMatch(/^empty\.xml {2}ERROR {2}FEED_EMPTY: /);
    expect(out[1]).toMatch(/^good\.xml {2}ok {2}rss .*items=1 title=1 link=1/);
    expect(out[2]).toBe('summary: 2 files, 1 read, 1 not read');
    expect(code).toBe(1);
  });
});
