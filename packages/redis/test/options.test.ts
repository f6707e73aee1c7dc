import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { createRedisTokenStore } from '../src/index.js';

// A client that never connects: options are checked before any command.
const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
afterAll(() => redis.disconnect());

it.each([
  ['redis', { redis: {} }],
  ['encryptionKey', { redis, encryptionKey: randomBytes(16) }],
  ['encryptionKey', { redis, encryptionKey: 'a-password' }],
  ['decryptionKeys', { redis, decryptionKeys: [randomBytes(32)] }],
  ['decryptionKeys[0]', { redis, encryptionKey: randomBytes(32), decryptionKeys: [randomBytes(31)] }],
  ['keyPrefix', { redis, keyPrefix: 'app:{tag}:' }],
  ['commandTimeoutMs', { redis, commandTimeoutMs: 0 }],
  ['lockLeaseMs', { redis, lockLeaseMs: 1.5 }],
  ['waitTimeoutMs', { redis, waitTimeoutMs: -1 }],
  ['pollIntervalMs', { redis, pollIntervalMs: '25' }],
])("refuses a wrong '%s' with an McaError (MCA_INVALID_OPTION) naming it", (option, options) => {
  expect(() => createRedisTokenStore(options as never)).toThrow(
    expect.objectContaining({ name: 'McaError', code: 'MCA_INVALID_OPTION', message: expect.stringContaining(`'${option}'`) }),
  );
});

it('refuses an option name it does not know, with the nearest known one (MCA_UNKNOWN_OPTION)', () => {
  expect(() => createRedisTokenStore({ redis, commandTimeout: 100 } as never)).toThrow(
    expect.objectContaining({ code: 'MCA_UNKNOWN_OPTION', message: expect.stringContaining("did you mean 'commandTimeoutMs'?") }),
  );
});

it('warns once, with a code, about a client that queues commands while Redis is down', () => {
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  const queueing = new Redis({ lazyConnect: true });
  try {
    createRedisTokenStore({ redis: queueing });
    createRedisTokenStore({ redis: queueing });
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning).toHaveBeenCalledWith(expect.stringContaining('enableOfflineQueue: false'), expect.objectContaining({ code: 'MCA_REDIS_OFFLINE_QUEUE' }));
  } finally {
    queueing.disconnect();
    emitWarning.mockRestore();
  }
});
