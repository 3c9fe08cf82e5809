// This project's unit tests, the specs beside its code: `nx test state-elastic`.
module.exports = { displayName: 'state-elastic', preset: '../../jest.preset.js' };
