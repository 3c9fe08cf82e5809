// This project's unit tests, the specs beside its code: `nx test demo`.
module.exports = { displayName: 'demo', preset: '../../jest.preset.js' };
