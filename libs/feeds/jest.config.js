// This project's unit tests, the specs beside its code: `nx test feeds`.
module.exports = { displayName: 'feeds', preset: '../../jest.preset.js' };
