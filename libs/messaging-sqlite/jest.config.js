// This project's unit tests, the specs beside its code: `nx test messaging-sqlite`.
module.exports = { displayName: 'messaging-sqlite', preset: '../../jest.preset.js' };
