// This project's unit tests, the specs beside its code: `nx test observability`.
module.exports = { displayName: 'observability', preset: '../../jest.preset.js' };
