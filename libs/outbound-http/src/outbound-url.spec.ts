import { OutboundUrlError, parseOutboundUrl, portOf } from './outbound-url';

function thrown(value: string): unknown {
  try {
    return parseOutboundUrl(value);
  } catch (e) {
    return e;
  }
}

describe('parseOutboundUrl', () => {
  it('accepts http and https', () => {
    expect(parseOutboundUrl('https://www.unodc.org/feed').host).toBe('www.unodc.org');
  });

  it('refuses what is not a URL, other schemes and credentials, saying which', () => {
    for (const [value, reason] of [
      ['not a url', 'not a URL'],
      ['file:///etc/passwd', 'only http and https, not file'],
      ['gopher://example.org/', 'only http and https, not gopher'],
      ['https://user:secret@example.org/', 'credentials in the URL'],
    ]) {
      const error = thrown(value);
      expect(error).toBeInstanceOf(OutboundUrlError);
      expect(error).toMatchObject({ code: 'OUTBOUND_URL_REFUSED', reason, retriable: false });
    }
  });

  it('keeps a password out of the error it raises', () => {
    expect((thrown('https://user:hunter2@example.org/feed') as Error).message).toBe('credentials in the URL: https://example.org');
  });

  it('knows the default port of each scheme', () => {
    expect([portOf(new URL('http://a/')), portOf(new URL('https://a/')), portOf(new URL('http://a:8080/'))]).toEqual(['80', '443', '8080']);
  });
});
