// This project's unit tests, the specs beside its code: `nx test api-service`.
module.exports = { displayName: 'api-service', preset: '../../jest.preset.js' };
