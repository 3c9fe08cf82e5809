// This project's unit tests, the specs beside its code: `nx test alerter-service`.
module.exports = { displayName: 'alerter-service', preset: '../../jest.preset.js' };
