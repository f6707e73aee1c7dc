import { jest } from '@jest/globals';
import { Agent } from 'undici';
import { McaAgent, mcaInterceptor } from '../src/index.js';
import { send } from './support/dispatchers.js';
import { authorizationsIn, recordingInterceptor, type Recorded } from './support/recorder.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();

function responseHandler(done: () => void) {
  return {
    onRequestStart() {},
    onResponseStart() {},
    onResponseData() {},
    onResponseEnd: done,
    onResponseError: done,
  };
}

it('mcaInterceptor: with the token cached, the stamped request reaches undici before dispatch() returns', async () => {
  const log: Recorded[] = [];
  const dispatcher = new Agent().compose(recordingInterceptor(log), mcaInterceptor(world.options()));
  try {
    await send(dispatcher, `${world.api.url}/api/echo`);
    log.length = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    dispatcher.dispatch({ origin: world.api.url, path: '/api/echo', method: 'GET' }, responseHandler(() => finish()));
    // Synchronously: no promise, no tick between the call and undici.
    expect(log).toHaveLength(1);
    expect(authorizationsIn(log[0]!.opts.headers)[0]).toMatch(/^Bearer /);
    await finished;
  } finally {
    await dispatcher.close();
  }
});

it('McaAgent: with the token cached, Agent.dispatch runs with the token before dispatch() returns', async () => {
  const dispatcher = new McaAgent({ mca: world.options() });
  const parentDispatch = jest.spyOn(Agent.prototype, 'dispatch');
  try {
    await send(dispatcher, `${world.api.url}/api/echo`);
    parentDispatch.mockClear();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    dispatcher.dispatch({ origin: world.api.url, path: '/api/echo', method: 'GET' }, responseHandler(() => finish()));
    expect(parentDispatch).toHaveBeenCalledTimes(1);
    expect(authorizationsIn(parentDispatch.mock.calls[0]![0].headers)[0]).toMatch(/^Bearer /);
    await finished;
  } finally {
    parentDispatch.mockRestore();
    await dispatcher.close();
  }
});
