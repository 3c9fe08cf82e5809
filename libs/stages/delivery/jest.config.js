// This project's unit tests, the specs beside its code: `nx test delivery-stage`.
module.exports = { displayName: 'delivery-stage', preset: '../../../jest.preset.js' };
