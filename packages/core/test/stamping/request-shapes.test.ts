import { Readable } from 'node:stream';
import fc from 'fast-check';
import { callerAuthorizationOf, callerCredentialOf, callerDpopOf } from '../../src/stamping/caller-authorization.js';
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

describe('callerCredentialOf, in one pass, answers as callerAuthorizationOf, then callerDpopOf', () => {
  const name = fc.constantFrom('authorization', 'Authorization', 'AUTHORIZATION', 'dpop', 'DPoP', 'Dpop', 'accept', 'x-authorization', 'dpop-nonce');
  const value = fc.oneof(
    fc.constantFrom('Bearer a', 'proof', ''),
    fc.constant(undefined),
    fc.constant(null),
    fc.constant(false),
    fc.constant(7),
    fc.array(fc.constantFrom('Bearer x', 'proof-y'), { maxLength: 2 }),
  );
  const entries = fc.array(fc.tuple(name, value), { maxLength: 6 });
  const oneByOne = (headers: unknown): string | undefined => callerAuthorizationOf(headers) ?? callerDpopOf(headers);

  it.each([
    ['a plain object', (pairs: [string, unknown][]) => Object.fromEntries(pairs)],
    ['a null-prototype object', (pairs: [string, unknown][]) => Object.assign(Object.create(null) as object, Object.fromEntries(pairs))],
    ['a flat array', (pairs: [string, unknown][]) => pairs.flat()],
    ['an array of pairs', (pairs: [string, unknown][]) => pairs],
    ['a Map', (pairs: [string, unknown][]) => new Map(pairs)],
  ])('%s', (_label, shape) => {
    fc.assert(fc.property(entries, (pairs) => expect(callerCredentialOf(shape(pairs))).toBe(oneByOne(shape(pairs)))));
  });

  it('the caller’s Authorization wins over its DPoP header, whichever comes first', () => {
    expect(callerCredentialOf({ dpop: 'proof', Authorization: 'Bearer a' })).toBe('Bearer a');
    expect(callerCredentialOf(['DPoP', 'proof', 'authorization', 'Bearer a'])).toBe('Bearer a');
    expect(callerCredentialOf({ authorization: undefined, dpop: 'proof' })).toBe('proof');
    expect(callerCredentialOf({ accept: 'x' })).toBeUndefined();
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
