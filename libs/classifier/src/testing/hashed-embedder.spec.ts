import { HashedEmbedder } from './hashed-embedder';
import { describeTextEmbedderContract } from './text-embedder.contract';

describeTextEmbedderContract('hashed trigrams (the fake for tests)', async () => new HashedEmbedder());
