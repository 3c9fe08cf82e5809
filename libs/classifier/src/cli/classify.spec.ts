import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');

function run(input: string): string[] {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'classify.ts')], { cwd: root, input, encoding: 'utf8', timeout: 60000 });
  expect(result.status).toBe(0);
  return result.stdout.trim().split('\n');
}

describe('classify CLI', () => {
  it('answers one line per input line, in order, and reports bad lines without stopping', () => {
    const lines = run(
      [
        JSON.stringify({ id: 'r1', title: 'Таможня изъяла героин', text: 'Пограничники изъяли 40 кг героина.' }),
        '{broken',
        JSON.stringify({ id: 'r2', title: 'Tourism forum opens', text: 'Ministers discussed tourism and culture.', lang: 'en' }),
        JSON.stringify({ id: 'r3', text: 'no title' }),
      ].join('\n') + '\n',
    );
    expect(lines).toHaveLength(4);
    const [first, second, third, fourth] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ id: 'r1', language: 'ru' });
    expect(first.topics[0].id).toBe('counter-narcotics-operations');
    expect(first.topics[0].evidence[0]).toEqual(expect.objectContaining({ field: expect.any(String), start: expect.any(Number), end: expect.any(Number) }));
    expect(second).toEqual({ line: 2, error: expect.stringContaining('invalid JSON') });
    expect(third).toMatchObject({ id: 'r2', language: 'en', topics: [] });
    expect(fourth).toEqual({ line: 4, id: 'r3', error: 'title: expected a string' });
  });
});
