import { z } from 'zod';
import { ValidationError } from './monitor-error';
import { validationErrorFromZod, zodProblem } from './validation-error-from-zod';

const Body = z.object({ name: z.string(), channels: z.object({ webhook: z.object({ url: z.url() }).strict() }).strict(), topics: z.array(z.enum(['a', 'b'])) }).strict();
const errorOf = (value: unknown) => {
  const result = Body.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return result.error;
};
const valid = { name: 'n', channels: { webhook: { url: 'https://example.org/hook' } }, topics: ['a'] };

describe('validationErrorFromZod', () => {
  it('names the dotted path of the first bad field and says what is wrong', () => {
    const error = validationErrorFromZod(errorOf({ ...valid, channels: { webhook: { url: 'not a url' } } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retriable: false, field: 'channels.webhook.url' });
    expect(error.message).toMatch(/^channels\.webhook\.url: \S/);
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('prefers an unknown key, named in the path, over the missing field a misspelling also causes', () => {
    const error = validationErrorFromZod(errorOf({ ...valid, name: undefined, nmae: 'n' }));
    expect(error.field).toBe('nmae');
    const nested = validationErrorFromZod(errorOf({ ...valid, channels: { webhook: { url: 'https://a.example/', secret: 1 } } }), { unknownKey: 'unknown field' });
    expect([nested.field, nested.message]).toEqual(['channels.webhook.secret', 'channels.webhook.secret: unknown field']);
  });

  it('puts the context first, and names only the top-level key of flat inputs', () => {
    const error = validationErrorFromZod(errorOf({ ...valid, topics: ['a', 'x'] }), { context: 'invalid configuration', topLevel: true });
    expect(error.field).toBe('topics');
    expect(error.message).toMatch(/^invalid configuration: topics: \S/);
    expect(validationErrorFromZod(errorOf({ ...valid, topics: ['a', 'x'] })).field).toBe('topics.1');
  });

  it('names the root when the whole value is wrong', () => {
    expect(validationErrorFromZod(errorOf('text'), { root: '(body)' }).field).toBe('(body)');
    expect(zodProblem(errorOf(42)).field).toBe('(root)');
    expect(zodProblem(errorOf(42)).path).toEqual([]);
  });
});
