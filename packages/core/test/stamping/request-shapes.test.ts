import { Readable } from 'node:stream';
import { callerAuthorizationOf } from '../../src/stamping/caller-authorization.js';
import { isReplayableBody } from '../../src/stamping/replayable-body.js';

describe('callerAuthorizationOf finds the header in every shape clients use, any case', () => {
  it.each([
    ['a plain object', { Authorization: 'Bearer a' }, 'Bearer a'],
    ['a plain object, lower case', { authorization: 'Bearer a' }, 'Bearer a'],
    ['a plain object, odd case', { AuThOrIzAtIoN: 'Bearer a' }, 'Bearer a'],
    ['an array value', { authorization: ['Bearer a', 'Bearer b'] }, 'Bearer a'],
    ['Headers', new Headers({ Authorization: 'Bearer h' }), 'Bearer h'],
    ['a Map', new Map([['AUTHORIZATION', 'Bearer m']]), 'Bearer m'],
    ['array of pairs', [['content-type', 'x'], ['Authorization', 'Bearer p']], 'Bearer p'],
    ['flat array (undici)', ['content-type', 'x', 'authorization', 'Bearer f'], 'Bearer f'],
    ['an empty string', { authorization: '' }, ''],
  ])('%s', (_label, headers, expected) => {
    expect(callerAuthorizationOf(headers)).toBe(expected);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['no such header', { 'content-type': 'x' }],
    ['a header whose name only contains it', { 'x-authorization-hint': 'y' }],
    ['flat array without it', ['a', 'b']],
    ['an undefined value', { authorization: undefined }],
  ])('%s → undefined', (_label, headers) => {
    expect(callerAuthorizationOf(headers)).toBeUndefined();
  });
});

describe('isReplayableBody', () => {
  it.each([
    ['no body', undefined],
    ['a string', 'x'],
    ['a Buffer', Buffer.from('x')],
    ['a plain object', { a: 1 }],
    ['URLSearchParams', new URLSearchParams('a=1')],
    ['FormData', new FormData()],
    ['a Blob', new Blob(['x'])],
  ])('%s can be sent again', (_label, body) => {
    expect(isReplayableBody(body)).toBe(true);
  });

  it.each([
    ['a Node stream', Readable.from(['x'])],
    ['a web ReadableStream', new ReadableStream()],
    ['an async generator', (async function* () { yield 'x'; })()],
    ['a generator', (function* () { yield 'x'; })()],
  ])('%s cannot', (_label, body) => {
    expect(isReplayableBody(body)).toBe(false);
  });
});
