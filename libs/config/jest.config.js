// This project's unit tests, the specs beside its code: `nx test config`.
module.exports = { displayName: 'config', preset: '../../jest.preset.js' };
