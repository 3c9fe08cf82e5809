export { smallTaxonomySource } from './small-taxonomy';
export { HashedEmbedder } from './hashed-embedder';
export { describeTextEmbedderContract } from './text-embedder.contract';
export { neighbourSpec } from './neighbour-spec';
