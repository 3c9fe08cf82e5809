// Integration tests start real processes and servers; Jest's 5 s default is for unit tests.
jest.setTimeout(180_000);
