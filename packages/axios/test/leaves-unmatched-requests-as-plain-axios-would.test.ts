/**
 * Issue #20: a request we do not stamp reaches the user's interceptors and adapter exactly as it would
 * without our interceptors: no header, no hook, no key in its config, symbol keys included.
 */
import axios, { getAdapter, type AxiosAdapter, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { installMca, mcaInterceptor } from '../src/index.js';
import { snapshotOf } from '../../../test-support/option-snapshot.js';
import { optionsMatchingNothingHere, useLocalServer } from '../../../test-support/unmatched-requests.js';

const server = useLocalServer((req, res) => {
  const status = req.url === '/denied' ? 401 : 200;
  res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
});
const mcaOptions = optionsMatchingNothingHere;

type Seen = [where: string, snapshot: unknown][];
let seen: Seen = [];
const record = (where: string, config: InternalAxiosRequestConfig | undefined) => void seen.push([where, snapshotOf(config)]);

// One adapter function for every instance, so it compares equal by identity in the configs.
const httpAdapter = getAdapter('http');
const recordingAdapter: AxiosAdapter = (config) => {
  record('adapter', config);
  return httpAdapter(config);
};

/** axios runs request interceptors last-registered-first: `before` runs after ours, `after` before it. */
function withUserInterceptors(instance: AxiosInstance, install: (instance: AxiosInstance) => void): AxiosInstance {
  instance.interceptors.request.use((config) => (record('registered before ours', config), config));
  install(instance);
  instance.interceptors.request.use((config) => (record('registered after ours', config), config));
  instance.interceptors.response.use(
    (response) => (record('response', response.config), response),
    (error: { config?: InternalAxiosRequestConfig }) => {
      record('response error', error.config);
      throw error;
    },
  );
  return instance;
}

async function whatUserCodeSees(install: (instance: AxiosInstance) => void): Promise<Seen> {
  seen = [];
  const instance = withUserInterceptors(axios.create({ adapter: recordingAdapter, headers: { 'x-app': 'mine' } }), install);
  await instance.get(`${server.origin}/ok`, { params: { page: 2 } });
  await instance.post(`${server.origin}/ok`, { order: 42 });
  await expect(instance.get(`${server.origin}/denied`)).rejects.toMatchObject({ response: { status: 401 } });
  return seen;
}

const plain = () => undefined;

it('shows the user interceptors, the adapter and the response handlers the same config as plain axios (mcaInterceptor)', async () => {
  const expected = await whatUserCodeSees(plain);
  const actual = await whatUserCodeSees((instance) => void instance.interceptors.request.use(mcaInterceptor(mcaOptions)));
  expect(expected.map(([where]) => where)).toEqual(
    expect.arrayContaining(['registered before ours', 'registered after ours', 'adapter', 'response', 'response error']),
  );
  expect(actual).toStrictEqual(expected);
});

it('shows the user interceptors, the adapter and the response handlers the same config as plain axios (installMca)', async () => {
  const expected = await whatUserCodeSees(plain);
  const actual = await whatUserCodeSees((instance) => void installMca(instance, mcaOptions));
  expect(actual).toStrictEqual(expected);
});

it('leaves the caller-set Authorization of a matched request as plain axios would, since it does not stamp it', async () => {
  const configs: unknown[][] = [[], []];
  for (const [index, install] of [plain, (instance: AxiosInstance) => void installMca(instance, { ...mcaOptions, match: server.origin })].entries()) {
    const instance = axios.create({ adapter: recordingAdapter });
    install(instance);
    seen = [];
    await instance.get(`${server.origin}/ok`, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    configs[index] = seen;
  }
  expect(configs[1]).toStrictEqual(configs[0]);
});
