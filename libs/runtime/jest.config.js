// This project's unit tests, the specs beside its code: `nx test runtime`.
module.exports = { displayName: 'runtime', preset: '../../jest.preset.js' };
