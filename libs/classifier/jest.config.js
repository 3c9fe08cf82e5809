// This project's unit tests, the specs beside its code: `nx test classifier`.
module.exports = { displayName: 'classifier', preset: '../../jest.preset.js' };
