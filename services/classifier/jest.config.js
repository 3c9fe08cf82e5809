// This project's unit tests, the specs beside its code: `nx test classifier-service`.
module.exports = { displayName: 'classifier-service', preset: '../../jest.preset.js' };
