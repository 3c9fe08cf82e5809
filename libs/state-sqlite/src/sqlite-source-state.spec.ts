import Database from 'better-sqlite3';
import { parseSourceConfig } from '@monitor/feeds';
import { MemorySourceOverrides, MemorySourceStateStore, describeSourceOverrideContract, describeSourceStateContract } from '@monitor/feeds/testing';
import { SqliteSourceOverrides } from './sqlite-source-overrides';
import { SqliteSourceStateStore } from './sqlite-source-state.store';

const source = parseSourceConfig({ id: 'unodc-en', name: 'UNODC', organisation: 'UNODC', language: 'en', candidates: [{ url: 'https://example.org/feed.xml', kind: 'feed' }] });

describeSourceStateContract('SqliteSourceStateStore', async () => new SqliteSourceStateStore(new Database(':memory:')));
describeSourceStateContract('MemorySourceStateStore', async () => new MemorySourceStateStore());

const files = new WeakMap<SqliteSourceOverrides, Database.Database>();
describeSourceOverrideContract('SqliteSourceOverrides', {
  create: async () => {
    const db = new Database(':memory:');
    const store = new SqliteSourceOverrides(db);
    files.set(store, db);
    return store;
  },
  reopen: async (store) => new SqliteSourceOverrides(files.get(store as SqliteSourceOverrides)!),
  source,
});
describeSourceOverrideContract('MemorySourceOverrides', { create: async () => new MemorySourceOverrides(), reopen: async (store) => store, source });
