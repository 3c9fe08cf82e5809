// This project's unit tests, the specs beside its code: `nx test search-elastic`.
module.exports = { displayName: 'search-elastic', preset: '../../jest.preset.js' };
