// This project's unit tests, the specs beside its code: `nx test messaging-kafka`.
module.exports = { displayName: 'messaging-kafka', preset: '../../jest.preset.js' };
