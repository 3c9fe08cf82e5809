// This project's unit tests, the specs beside its code: `nx test stories-stage`.
module.exports = { displayName: 'stories-stage', preset: '../../../jest.preset.js' };
