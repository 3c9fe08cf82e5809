// This project's unit tests, the specs beside its code: `nx test indexer-service`.
module.exports = { displayName: 'indexer-service', preset: '../../jest.preset.js' };
