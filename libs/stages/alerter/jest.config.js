// This project's unit tests, the specs beside its code: `nx test alerter-stage`.
module.exports = { displayName: 'alerter-stage', preset: '../../../jest.preset.js' };
