/**
 * Reads every file of a directory the way the collector reads a fetched body (charset decoding,
 * then parseFeed) and prints one line per file, then a summary. Exits 1 if any file could not be
 * read, so it can gate any corpus:
 *   npm run conformance:feeds -- DIR
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorCode } from '@monitor/contracts';
import { decodeBody } from '../charset-decoder';
import { parseFeed } from '../feed-parser';

export interface ConformanceLine {
  file: string;
  ok: boolean;
  line: string;
}

export function readFeedFile(path: string, name: string): ConformanceLine {
  try {
    const decoded = decodeBody(readFileSync(path));
    const feed = parseFeed(decoded.text, pathToFileURL(path).toString().replace(/^file:/, 'http://localhost'));
    const count = (pick: (i: (typeof feed.items)[number]) => unknown) => feed.items.filter((item) => !!pick(item)).length;
    const feedTitle = feed.title ? ` feed=${JSON.stringify(feed.title.slice(0, 40))}` : '';
    const first = `${feedTitle}${feed.items[0]?.title ? ` first=${JSON.stringify(feed.items[0].title.slice(0, 60))}` : ''}`;
    return {
      file: name,
      ok: true,
      line: `${name}  ok  ${feed.format} charset=${decoded.charset} items=${feed.items.length} title=${count((i) => i.title)} link=${count((i) => i.link)} date=${count((i) => i.publishedAt)} content=${count((i) => i.contentHtml)}${first}`,
    };
  } catch (error) {
    return { file: name, ok: false, line: `${name}  ERROR  ${errorCode(error)}: ${(error as Error).message.replace(/\s+/g, ' ')}` };
  }
}

/** Returns the exit code: 0 when every file was read, 1 otherwise. */
export function runConformance(dir: string, print: (line: string) => void): number {
  const files = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile()).sort();
  const results = files.map((name) => readFeedFile(join(dir, name), name));
  for (const result of results) print(result.line);
  const failed = results.filter((r) => !r.ok).length;
  print(`summary: ${files.length} files, ${files.length - failed} read, ${failed} not read`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: npm run conformance:feeds -- DIR\n');
    process.exitCode = 2;
  } else {
    process.exitCode = runConformance(dir, (line) => process.stdout.write(`${line}\n`));
  }
}
