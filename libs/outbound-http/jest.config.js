// This project's unit tests, the specs beside its code: `nx test outbound-http`.
module.exports = { displayName: 'outbound-http', preset: '../../jest.preset.js' };
