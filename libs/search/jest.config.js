// This project's unit tests, the specs beside its code: `nx test search`.
module.exports = { displayName: 'search', preset: '../../jest.preset.js' };
