import { EntityFinder, loadGazetteer } from './gazetteer';

describe('EntityFinder', () => {
  const finder = new EntityFinder(loadGazetteer());

  it('reads a name inside a longer name as the longer one only', () => {
    expect([...finder.find('The Shanghai Cooperation Organisation met in Bishkek.')].sort()).toEqual(['bishkek', 'sco']);
    expect([...finder.find('上海合作组织成员国禁毒部门领导人会议在比什凯克举行')].sort()).toEqual(['bishkek', 'heads-of-agencies-meeting', 'sco']);
    expect([...finder.find('A trade fair opened in Shanghai.')]).toEqual(['shanghai']);
  });

  it("takes an agency's name only with its country", () => {
    expect([...finder.find('The national drug control agency of Ecuador reported the seizure.')]).toEqual([]);
    expect([...finder.find("Tajikistan's Drug Control Agency reported the seizure.")]).toEqual(['tajik-dca']);
  });

  it('tells places (countries, regions, cities) from bodies, operations and events', () => {
    expect(['tashkent', 'kyrgyzstan'].map((id) => finder.isPlace(id))).toEqual([true, true]);
    expect(['sco', 'op-spider-web', 'heads-of-agencies-meeting'].map((id) => finder.isPlace(id))).toEqual([false, false, false]);
  });
});
