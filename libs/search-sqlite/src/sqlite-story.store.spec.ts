import Database from 'better-sqlite3';
import { describeStoryStoreContract, storyMember } from '@monitor/search/testing';
import { SqliteStoryStore } from './sqlite-story.store';

describeStoryStoreContract('SQLite', {
  async create() {
    const store = new SqliteStoryStore({ db: new Database(':memory:'), closeDatabase: true });
    await store.init();
    return store;
  },
});

describe('SqliteStoryStore', () => {
  it('writes a batch whole or not at all', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStoryStore({ db, closeDatabase: true });
    await store.init();
    db.exec(`CREATE TRIGGER refuse_b BEFORE INSERT ON story_members WHEN NEW.article_id = 'b' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    await expect(store.record([storyMember('a', 's1'), storyMember('b', 's1')])).rejects.toThrow('refused');
    expect(await store.storiesOf(['a', 'b'])).toEqual(new Map());
    expect(await store.get('s1')).toBeNull();
    await store.close();
  });
});
