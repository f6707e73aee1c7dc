/** requestUrlOf's shortcut must give exactly the URL axios's own getUri gives, or fall back to it. */
import fc from 'fast-check';
import { Axios, type InternalAxiosRequestConfig } from 'axios';
import { requestUrlOf } from '../src/request-url.js';

const axiosItself = new Axios({});

const base = fc.constantFrom(undefined, '', 'https://orders.example.com', 'https://orders.example.com/', 'https://orders.example.com//api/', 'HTTP://Orders.Example.com/api', ' https://x.example.com', 'https:no-slashes.example.com', '//protocol-relative.example.com/', 'ftp://files.example.com/', 'https://orders.example.com/a\tpi');
const path = fc.constantFrom('', '/', 'api/orders', '/api/orders?x=1', '//api', '../admin', 'https://evil.test/api', 'HTTPS://evil.test', '//evil.test/x', 'mailto:x', 'https:evil.test', 'api#frag', 'ht\ttps:evil.test', 'ht\ttps://evil.test', ' https://evil.test', 'api/\n../x');
const absolute = fc.constantFrom(undefined, true, false);

it('gives the URL axios.getUri gives, for about 2,000 baseURL/url/allowAbsoluteUrls combinations', () => {
  fc.assert(
    fc.property(base, path, absolute, (baseURL, url, allowAbsoluteUrls) => {
      const config = { baseURL, url, allowAbsoluteUrls, headers: {} } as unknown as InternalAxiosRequestConfig;
      let expected: string | undefined;
      try {
        expected = axiosItself.getUri(config);
      } catch {
        expected = undefined;
      }
      expect(requestUrlOf(config)).toBe(expected);
    }),
    { numRuns: 2_000 },
  );
});
