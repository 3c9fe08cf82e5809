// This project's unit tests, the specs beside its code: `nx test indexer-stage`.
module.exports = { displayName: 'indexer-stage', preset: '../../../jest.preset.js' };
