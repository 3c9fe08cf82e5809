// This project's unit tests, the specs beside its code: `nx test alerts`.
module.exports = { displayName: 'alerts', preset: '../../jest.preset.js' };
