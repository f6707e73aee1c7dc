/**
 * 20,000 adversarial axios requests (url, baseURL, params, paramsSerializer, allowAbsoluteUrls) through the real
 * axios pipeline and our interceptor, judged by what axios's http adapter would put on the wire.
 */
import fc from 'fast-check';
import { adversarialUrl, baseUrl, harmlessQuery, protectedOrigin, protectedUrl, relativeUrl, safeTail } from './adversarial-urls.js';
import { describeAxiosCase, recordingAxios, sendAxios, type AxiosCase } from './axios-recorder.js';
import { fuzzOneClient } from './fuzz-one-client.js';

const params = fc.constantFrom<AxiosCase['params']>(
  undefined,
  undefined,
  { q: 'x' },
  { next: 'https://evil.test/', '../a': '../../admin' },
  { path: '/api', '#': '/../x' },
);
const serializer = fc.constantFrom<AxiosCase['paramsSerializer']>(undefined, undefined, undefined, 'hash', 'slash', 'raw');

const adversarialCases: fc.Arbitrary<AxiosCase> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ url: adversarialUrl, params, paramsSerializer: serializer }) },
  { weight: 4, arbitrary: fc.record({ baseURL: baseUrl, url: relativeUrl, params, paramsSerializer: serializer }) },
  {
    weight: 2,
    arbitrary: fc.record({ baseURL: baseUrl, url: adversarialUrl, params, allowAbsoluteUrls: fc.constantFrom(true, false, undefined) }),
  },
);

const positiveCases: fc.Arbitrary<AxiosCase> = fc.oneof(
  fc.record({ url: protectedUrl, params: fc.constantFrom<AxiosCase['params']>(undefined, { q: 'x' }, { next: '/../../admin' }) }),
  fc.tuple(protectedOrigin, safeTail, harmlessQuery).map(([origin, tail, query]) => ({ baseURL: origin, url: `/api${tail}${query}` })),
  fc
    .tuple(protectedOrigin, fc.constantFrom('/api', '/api/'), safeTail, harmlessQuery)
    .map(([origin, base, tail, query]) => ({ baseURL: `${origin}${base}`, url: `${tail.replace(/^\//, '')}${query}` })),
);

fuzzOneClient<AxiosCase>({
  client: 'axios',
  spellings: 'with baseURL, relative url and params',
  adversarialCases,
  positiveCases,
  describe: describeAxiosCase,
  sender: (auth) => {
    const client = recordingAxios(auth.options());
    return (c) => sendAxios(client, c);
  },
});
