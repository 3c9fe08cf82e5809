// This project's unit tests, the specs beside its code: `nx test search-sqlite`.
module.exports = { displayName: 'search-sqlite', preset: '../../jest.preset.js' };
