// This project's unit tests, the specs beside its code: `nx test messaging`.
module.exports = { displayName: 'messaging', preset: '../../jest.preset.js' };
