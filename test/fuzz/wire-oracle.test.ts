/** The fuzz oracle on requests whose verdict anyone can check by hand: a wrong oracle would make the fuzzing meaningless. */
import { createOracle, type Verdict, type WireRequest } from './wire-oracle.js';

const oracle = createOracle('https://orders.example.com/api');

function wire(target: string, overrides: Partial<WireRequest> = {}): WireRequest {
  return { protocol: 'https:', hostname: 'orders.example.com', port: '', target, ...overrides };
}

it.each<[string, WireRequest, Verdict]>([
  ['the prefix itself', wire('/api'), 'inside'],
  ['below the prefix, with a query that names another place', wire('/api/orders/42?next=/../../admin'), 'inside'],
  ['a trailing dot on the host and the default port spelled out', wire('/api/x', { hostname: 'orders.example.com.', port: '443' }), 'inside'],
  ['another host', wire('/api/x', { hostname: 'orders.example.com.evil.test' }), 'outside'],
  ['plain http', wire('/api/x', { protocol: 'http:' }), 'outside'],
  ['another port', wire('/api/x', { port: '8443' }), 'outside'],
  ['a path that only starts like the prefix', wire('/apix'), 'outside'],
  ['an encoded unreserved character, the same URI by RFC 3986', wire('/%61pi/x'), 'unsure'],
  ['an encoded slash and an empty segment nginx merges', wire('/api//a%2f..%2f..'), 'escapes'],
  ['a dot segment out of the prefix', wire('/api/../admin'), 'outside'],
  ['an encoded dot segment', wire('/api/%2e%2e/admin'), 'escapes'],
  ['a double-encoded dot segment', wire('/api/%252e%252e/admin'), 'escapes'],
  ['an encoded slash', wire('/api%2f..%2fadmin'), 'outside'],
  ['a Servlet path parameter', wire('/api/..;/admin'), 'escapes'],
  ['a backslash only IIS reads as a slash', wire('/api\\..\\admin'), 'outside'],
  ['a backslash inside the prefix segment, data to nginx', wire('/api\\x'), 'escapes'],
  ['an empty segment nginx merges before resolving', wire('/api//../admin'), 'escapes'],
  ['a fragment sent by a client that sends paths verbatim', wire('/api/x#/../../admin'), 'unsure'],
  ['an overlong UTF-8 dot segment (Tomcat CVE-2008-2938)', wire('/api/%c0%ae%c0%ae/admin'), 'unsure'],
  ['an absolute-form request-target naming another host', wire('https://evil.test/api/x'), 'outside'],
])('%s', (_label, request, verdict) => {
  expect(oracle.judge(request)).toBe(verdict);
});
