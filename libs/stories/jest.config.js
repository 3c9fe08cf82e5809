// This project's unit tests, the specs beside its code: `nx test stories`.
module.exports = { displayName: 'stories', preset: '../../jest.preset.js' };
