/** isLoopbackHostname: which hosts may receive a token over plain http. */
import { describe, expect, it } from '@jest/globals';
import { isLoopbackHostname } from '../../src/matching/index.js';

describe('isLoopbackHostname', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.0.0.1.', '127.255.255.255', '127.0.0.0', '[::1]', '::1'])(
    'treats %s as loopback',
    (host) => {
      expect(isLoopbackHostname(host)).toBe(true);
    },
  );

  it.each([
    'api.localhost',
    'localhost.evil.test',
    'localhost..',
    'evil-localhost',
    '128.0.0.1',
    '127.0.0.256',
    '127.0.0',
    '127.0.0.1.evil.test',
    '127.1',
    '0.0.0.0',
    '[::ffff:7f00:1]',
    '[::2]',
    '[::1]:80',
    '',
  ])('does not treat %s as loopback', (host) => {
    expect(isLoopbackHostname(host)).toBe(false);
  });

  it('is false for a non-string instead of throwing', () => {
    expect(isLoopbackHostname(undefined as never)).toBe(false);
  });

  it('agrees with WHATWG URL parsing of loopback spellings', () => {
    for (const spelling of ['http://127.1/', 'http://0x7f.0.0.1/', 'http://[0:0::1]/', 'http://LocalHost/']) {
      expect(isLoopbackHostname(new URL(spelling).hostname)).toBe(true);
    }
  });
});
