// This project's unit tests, the specs beside its code: `nx test state-sqlite`.
module.exports = { displayName: 'state-sqlite', preset: '../../jest.preset.js' };
