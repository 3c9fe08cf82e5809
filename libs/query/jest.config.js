// This project's unit tests, the specs beside its code: `nx test query`.
module.exports = { displayName: 'query', preset: '../../jest.preset.js' };
