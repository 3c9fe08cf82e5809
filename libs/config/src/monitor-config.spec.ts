import { loadConfig, parseHostAllowList } from './monitor-config';

describe('loadConfig', () => {
  it('gives defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.MONITOR_MODE).toBe('embedded');
    expect(config.PORT).toBe(3000);
    expect(config.dataDir.endsWith('.data')).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MONITOR_MODE: 'cluster' })).toThrow(/MONITOR_MODE/);
    expect(() => loadConfig({ ADMIN_API_KEY: 'short' })).toThrow(/ADMIN_API_KEY/);
  });

  it('parses host allow lists', () => {
    expect(parseHostAllowList('true')).toBe(true);
    expect(parseHostAllowList(' 127.0.0.1:8080, Feeds.local ')).toEqual(['127.0.0.1:8080', 'feeds.local']);
    expect(parseHostAllowList('')).toEqual([]);
  });
});
