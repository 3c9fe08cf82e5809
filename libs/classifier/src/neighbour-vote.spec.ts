import { NeighbourVote, neighbourSpecProblem } from './neighbour-vote';
import { neighbourSpec } from './testing';

const topics = ['precursors', 'golden-triangle'];
// Four stored articles in three dimensions: two near the first axis (precursors), one near the
// second (golden-triangle), one between with both topics.
const stored = [
  [1, 0.05, 0],
  [0.95, 0.1, 0.05],
  [0, 1, 0.1],
  [0.6, 0.6, 0],
];
const labels = [['precursors'], ['precursors'], ['golden-triangle'], ['precursors', 'golden-triangle']];

describe('neighbour vote', () => {
  it('gives each topic the share of the nearest articles that carry it, the closest weighing most', () => {
    const vote = new NeighbourVote(neighbourSpec(stored, labels, { topics, k: 2, sharpness: 50 }), 3);
    const nearFirst = vote.votes(Float32Array.from([2, 0.1, 0]));
    // The two nearest both carry precursors; neither carries golden-triangle.
    expect(nearFirst.get('precursors')).toBeCloseTo(1, 6);
    expect(nearFirst.get('golden-triangle')).toBe(0);
    const nearSecond = vote.votes(Float32Array.from([0.1, 1, 0.1]));
    // The second axis's own article is far closer than the one between: it all but decides.
    expect(nearSecond.get('golden-triangle')).toBeCloseTo(1, 6);
    expect(nearSecond.get('precursors')!).toBeGreaterThan(0);
    expect(nearSecond.get('precursors')!).toBeLessThan(0.01);
  });

  it('weighs the k nearest alike at sharpness near 0, and no farther article votes', () => {
    const vote = new NeighbourVote(neighbourSpec(stored, labels, { topics, k: 3, sharpness: 1e-9 }), 3);
    const votes = vote.votes(Float32Array.from([1, 0.2, 0]));
    // Nearest three: the two precursors articles and the one between, not the second axis's.
    expect(votes.get('precursors')).toBeCloseTo(1, 6);
    expect(votes.get('golden-triangle')).toBeCloseTo(1 / 3, 6);
  });

  it('reads the stored int8 vectors back close to what was stored', () => {
    const vote = new NeighbourVote(neighbourSpec([[0.3, -0.7, 0.2]], [['precursors']], { topics, k: 1, sharpness: 1 }), 3);
    expect(vote.votes(Float32Array.from([0.3, -0.7, 0.2])).get('precursors')).toBe(1);
  });

  it('gives no votes to a vector with no direction', () => {
    const vote = new NeighbourVote(neighbourSpec(stored, labels, { topics, k: 2, sharpness: 50 }), 3);
    expect([...vote.votes(new Float32Array(3)).values()]).toEqual([0, 0]);
  });

  it('names what is wrong with a spec', () => {
    const spec = neighbourSpec(stored, labels, { topics, k: 2, sharpness: 50 });
    expect(neighbourSpecProblem(spec, 3)).toBeNull();
    expect(neighbourSpecProblem(spec, 4)).toBe('vectors: 12 bytes, expected 4 articles × 4 dimensions');
    expect(neighbourSpecProblem({ ...spec, scales: Buffer.alloc(8).toString('base64') }, 3)).toBe('scales: 2 values, expected one per article (4)');
    expect(neighbourSpecProblem({ ...spec, k: 5 }, 3)).toBe('k: 5 neighbours, but only 4 articles are kept');
    expect(neighbourSpecProblem({ ...spec, labels: [1, 1, 2, 4] }, 3)).toBe('labels: 4 names a topic beyond the 2 listed');
  });
});
