export * from './text-normalizer';
export * from './word-stemmer';
export * from './cjk-bigrams';
export * from './text-analyzer';
export * from './simplified-chinese';
