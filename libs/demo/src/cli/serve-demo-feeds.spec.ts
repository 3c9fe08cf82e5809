import { parsePortArgument, serveDemoFeeds } from './serve-demo-feeds';

describe('serve-demo-feeds CLI', () => {
  it('reads --port and refuses a bad one', () => {
    expect(parsePortArgument([])).toBe(4010);
    expect(parsePortArgument(['--port', '0'])).toBe(0);
    expect(() => parsePortArgument(['--port', 'eighty'])).toThrow(/--port/);
  });

  it('prints the base URL, one line per source and the source configs, and the site answers', async () => {
    const lines: string[] = [];
    const server = await serveDemoFeeds(['--port', '0'], (line) => lines.push(line));
    try {
      expect(lines[0]).toBe(`demo feeds at ${server.baseUrl}/ (${server.items().length} announcements)`);
      expect(lines.filter((line) => line.startsWith('  demo-'))).toHaveLength(server.sources.length);
      expect(JSON.parse(lines[lines.length - 1]).sources).toEqual(server.sources);
      expect((await fetch(`${server.baseUrl}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
