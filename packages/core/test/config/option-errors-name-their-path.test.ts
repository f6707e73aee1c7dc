/** An option error names the option as the caller wrote it, so that a route's bad value is found in one look. */
import { createStamper, isMcaError, McaError, McaErrorCodes, optionErrorUnder } from '../../src/index.js';

const route = { match: 'https://orders.example.com/api', tokenEndpoint: 'https://auth.example.com/token', clientId: 'orders', secret: 'orders-secret' };

function errorOf(options: object): McaError {
  try {
    createStamper({ env: {}, ...options });
  } catch (error) {
    if (isMcaError(error)) return error;
    throw error;
  }
  throw new Error('createStamper accepted the options');
}

describe('option errors name their path', () => {
  it("names a route's own bad value under routes[i]", () => {
    expect(errorOf({ routes: [route, { ...route, scope: 5 }] })).toMatchObject({
      code: McaErrorCodes.INVALID_OPTION,
      option: 'routes[1].scope',
      message: "Option 'routes[1].scope' must be a string or an array of strings.",
    });
    expect(errorOf({ routes: [route, { ...route, tokenEndpoint: 'not a url' }] })).toMatchObject({ option: 'routes[1].tokenEndpoint' });
    expect(errorOf({ routes: [route, { ...route, tls: { ca: 5 } }] })).toMatchObject({ option: 'routes[1].tls.ca' });
    expect(errorOf({ routes: [route, { ...route, match: 5 }] })).toMatchObject({ option: 'routes[1].match' });
    expect(errorOf({ routes: [route, { ...route, scpoe: 'x' }] })).toMatchObject({ code: McaErrorCodes.UNKNOWN_OPTION, option: 'routes[1].scpoe' });
    expect(errorOf({ routes: [route, { ...route, dpop: { privateKey: 'not a key' } }] })).toMatchObject({ option: 'routes[1].dpop.privateKey' });
    expect(errorOf({ routes: [route, { ...route, dpop: 'yes' }] })).toMatchObject({ option: 'routes[1].dpop', message: "Option 'routes[1].dpop' must be true, false or { privateKey, alg }." });
    expect(errorOf({ routes: [route, { ...route, proxy: 'ftp://proxy.example.com' }] })).toMatchObject({ option: 'routes[1].proxy' });
    expect(errorOf({ routes: [route, { ...route, tls: { ca: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' } }] })).toMatchObject({ option: 'routes[1].tls.ca' });
    // Node refuses the whole TLS setting, not one field of it.
    expect(errorOf({ routes: [route, { ...route, tls: { pfx: Buffer.from('not a pfx') } }] })).toMatchObject({ option: 'routes[1].tls', message: expect.stringContaining("Option 'routes[1].tls'") });
  });

  it('names an environment variable as it is, with no option path', () => {
    const error = errorOf({ ...route, env: { MCA_DPOP: 'yes' } });
    expect(error).toMatchObject({ code: McaErrorCodes.INVALID_OPTION, message: "Option 'MCA_DPOP' must be 'true' or 'false'." });
    expect(error.option).toBeUndefined();
    expect(optionErrorUnder(error, 'mca.')).toBe(error);
  });

  it('names a top-level value that every route inherits at the top level, where it was written', () => {
    expect(errorOf({ scope: 5, routes: [route] })).toMatchObject({ option: 'scope', message: "Option 'scope' must be a string or an array of strings." });
    // A key set to undefined is not the route's own value: the route inherits the top level's.
    expect(errorOf({ scope: 5, routes: [{ ...route, scope: undefined }] })).toMatchObject({ option: 'scope' });
    expect(errorOf({ ...route, scope: 5 })).toMatchObject({ option: 'scope' });
  });
});

describe('optionErrorUnder', () => {
  const bad = new McaError(McaErrorCodes.INVALID_OPTION, "Option 'scope' must be a string.", { option: 'scope' });

  it('puts the prefix before the option in the field and in the message, keeping the code', () => {
    const renamed = optionErrorUnder(bad, 'mca.') as McaError;
    expect(renamed).toMatchObject({ code: McaErrorCodes.INVALID_OPTION, option: 'mca.scope', message: "Option 'mca.scope' must be a string." });
    expect(renamed.cause).toBe(bad); // its stack shows where the option was refused
  });

  it('names the whole options object by the level above, and reads no $ pattern in a typed name', () => {
    const whole = new McaError(McaErrorCodes.INVALID_OPTION, "Option 'options' must be an object.", { option: 'options' });
    expect(optionErrorUnder(whole, 'mca.')).toMatchObject({ option: 'mca', message: "Option 'mca' must be an object." });
    const typed = new McaError(McaErrorCodes.UNKNOWN_OPTION, "Unknown option 'a$&b': did you mean 'scope'?", { option: 'a$&b' });
    expect(optionErrorUnder(typed, "$'.")).toMatchObject({ option: "$'.a$&b", message: "Unknown option '$'.a$&b': did you mean 'scope'?" });
  });

  it('gives back anything that is not an option error as it was, and refuses a prefix that is not a string', () => {
    const other = new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'down');
    expect(optionErrorUnder(other, 'mca.')).toBe(other);
    expect(optionErrorUnder(42, 'mca.')).toBe(42);
    expect(() => optionErrorUnder(bad, 5 as never)).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
  });
});
