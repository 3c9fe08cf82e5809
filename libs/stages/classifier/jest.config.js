// This project's unit tests, the specs beside its code: `nx test classifier-stage`.
module.exports = { displayName: 'classifier-stage', preset: '../../../jest.preset.js' };
