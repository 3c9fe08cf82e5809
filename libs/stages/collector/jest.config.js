// This project's unit tests, the specs beside its code: `nx test collector-stage`.
module.exports = { displayName: 'collector-stage', preset: '../../../jest.preset.js' };
