/**
 * mulberry32: a small seeded generator, so that a run that shuffles (the order of the second
 * opinion's SGD steps, the story evaluation's arrival orders, the alerts' synthetic subscriptions)
 * depends on its seed alone; Math.random cannot be seeded, and the few lines do not justify a
 * dependency. Here, in the lib every other lib imports, so that there is one copy.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
