// This project's unit tests, the specs beside its code: `nx test contracts`.
module.exports = { displayName: 'contracts', preset: '../../jest.preset.js' };
