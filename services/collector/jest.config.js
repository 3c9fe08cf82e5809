// This project's unit tests, the specs beside its code: `nx test collector-service`.
module.exports = { displayName: 'collector-service', preset: '../../jest.preset.js' };
