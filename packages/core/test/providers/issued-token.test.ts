import { inspect } from 'node:util';
import { IssuedToken, McaError, McaErrorCodes } from '../../src/index.js';

describe('IssuedToken', () => {
  it('carries a visible-ASCII token as the Authorization value adapters set without sanitizing it again', () => {
    const token = new IssuedToken('abc.DEF-123_~+/=', 1_000, 2_000);
    expect(token.authorization).toBe('Bearer abc.DEF-123_~+/=');
    expect(token.accessToken).toBe('abc.DEF-123_~+/=');
  });

  it.each([
    ['a space', 'abc def'],
    ['CR LF', 'abc\r\nX-Injected: yes'],
    ['a tab', 'abc\tdef'],
    ['non-ASCII', 'abcé'],
    ['nothing', ''],
  ])('refuses a token with %s, with a typed error that does not repeat it', (_what, accessToken) => {
    let thrown: unknown;
    try {
      new IssuedToken(accessToken, 1_000, 2_000);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(McaError);
    expect((thrown as McaError).code).toBe(McaErrorCodes.TOKEN_INVALID_RESPONSE);
    if (accessToken !== '') expect(inspect(thrown)).not.toContain(accessToken);
  });
});
