import { dispatcherSetups, send } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => world.auth.stats.reset());

describe.each(dispatcherSetups)('$name', ({ create }) => {
  it('100 concurrent requests with an empty cache make exactly 1 token request, and all are stamped', async () => {
    const dispatcher = create(world.options());
    try {
      const responses = await Promise.all(Array.from({ length: 100 }, (_, index) => send(dispatcher, `${world.api.url}/api/echo?n=${index}`)));
      expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 100 }, () => 200));
      expect(new Set(responses.map((response) => response.json.headers?.authorization)).size).toBe(1);
      expect(world.auth.stats.tokenRequests).toBe(1);
    } finally {
      await dispatcher.close();
    }
  });
});
