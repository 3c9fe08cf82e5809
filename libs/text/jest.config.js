// This project's unit tests, the specs beside its code: `nx test text`.
module.exports = { displayName: 'text', preset: '../../jest.preset.js' };
