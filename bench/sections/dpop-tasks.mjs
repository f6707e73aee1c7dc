// The variants of the DPoP section's isolated part (8a, 8b), one request's work each, no network:
//
// - `bare sign`: crypto.sign of the bytes of one of our proofs' signing input, with the same key: the floor.
//   `bare sign (A/A)` is the same task again, timed as a separate variant: the noise floor of 8a's ratio.
// - `ours proof`: core's whole proof for a request (claims, encoding, signature, the origin's nonce), through
//   the public path an adapter uses, on a cache hit.
// - `ours Bearer` / `ours DPoP`: what an adapter asks of core per request, stamp and verdict on the
//   response, for a bearer route and a DPoP route; the difference is what DPoP adds.
// - `oauth4webapi Bearer` / `oauth4webapi DPoP`: `protectedResourceRequest` with its fetch replaced by an
//   answer made at once, without and with its `DPoP` handle (WebCrypto keys, as it requires).
//
// Every response carries a `DPoP-Nonce`, so both libraries do their nonce bookkeeping per request.
import { createPrivateKey, createPublicKey, sign, webcrypto } from 'node:crypto';
import * as oauth from 'oauth4webapi';
// ---------------------------------------------------------------------------------------------------------------
// CORE'S PROOF PATH (wip/dpop, packages/core/src/stamping/stamper.ts): `createStamper({ ..., dpop })`, then
// `stamper.stampFor(method, url)` → a RequestStamp whose `dpop` is the proof (DpopProver.proof → ProofSigner.sign),
// and `stamper.judgeResponse(stamp, url, status, headers, record, replayable)`. Only the public entry point is used.
import { createStamper } from '@mca-oauth/core';
// ---------------------------------------------------------------------------------------------------------------
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';

/** Never contacted: stamping does not send, and oauth4webapi's fetch is replaced. https, so neither refuses it. */
export const API = 'https://api.bench.invalid';
const URL_STRING = `${API}/api/echo`;
const NONCE = 'bench-nonce-0123456789abcdef';
const RESPONSE_HEADERS = { 'dpop-nonce': NONCE, 'content-type': 'application/json' };

export const VARIANTS = ['bare sign', 'bare sign (A/A)', 'ours proof', 'ours Bearer', 'ours DPoP', 'oauth4webapi Bearer', 'oauth4webapi DPoP'];

/**
 * Why the section cannot run, or undefined: core without a public DPoP path (before wip/dpop is merged) is a
 * clear skip, not a failure.
 */
export function missingDpop(stamper) {
  if (typeof stamper?.stampFor !== 'function') return "core has no stampFor(method, url): merge wip/dpop (core's DPoP support) first";
  return undefined;
}

function stamperFor(tokenEndpoint, scope, dpop) {
  return createStamper({
    match: `${API}/api/`,
    tokenEndpoint,
    clientId: DEFAULT_CLIENT_ID,
    secret: DEFAULT_CLIENT_SECRET,
    scope,
    env: {},
    ...(dpop === undefined ? {} : { dpop }),
  });
}

/** A stamp on a cache hit: the first call fetches the token (DPoP-bound for a DPoP stamper). */
async function warmStamp(stamper) {
  const stamp = await stamper.stampFor('GET', URL_STRING);
  if (stamp === undefined) throw new Error('the stamper did not stamp the benchmark URL');
  return stamp;
}

async function webCryptoPair(pem) {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  return {
    privateKey: await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  };
}

/**
 * The task of `variant`: a function doing one request's work (sync, or returning a promise). `ctx` =
 * `{ tokenEndpoint, scope, pem }` (a P-256 PKCS#8 PEM: every variant signs with the same key). Throws when core
 * has no DPoP path (the parent checked `missingDpop` first).
 */
export async function dpopTask(variant, { tokenEndpoint, scope, pem }) {
  const dpopStamper = stamperFor(tokenEndpoint, scope, { privateKey: pem });
  const why = missingDpop(dpopStamper);
  if (why !== undefined) throw new Error(why);
  const stamp = await warmStamp(dpopStamper);
  if (typeof stamp.dpop !== 'string') throw new Error("core's stamp carries no DPoP proof: its dpop option is not in effect");
  // The origin's nonce, remembered as an adapter's verdict call does: every proof from now on carries it.
  dpopStamper.judgeResponse(stamp, URL_STRING, 200, RESPONSE_HEADERS, { retriesDone: 0 }, true);
  const verdict = (s, stamper) => stamper.judgeResponse(s, URL_STRING, 200, RESPONSE_HEADERS, { retriesDone: 0 }, true);

  switch (variant) {
    case 'bare sign':
    case 'bare sign (A/A)': {
      const proof = dpopStamper.stampFor('GET', URL_STRING).dpop;
      const input = Buffer.from(proof.slice(0, proof.lastIndexOf('.')), 'latin1');
      const key = { key: createPrivateKey(pem), dsaEncoding: 'ieee-p1363' };
      return () => sign('sha256', input, key);
    }
    case 'ours proof':
      return () => dpopStamper.stampFor('GET', URL_STRING).dpop;
    case 'ours DPoP':
      return () => verdict(dpopStamper.stampFor('GET', URL_STRING), dpopStamper);
    case 'ours Bearer': {
      const bearerStamper = stamperFor(tokenEndpoint, scope, undefined);
      await warmStamp(bearerStamper);
      return () => verdict(bearerStamper.stampFor('GET', URL_STRING), bearerStamper);
    }
    case 'oauth4webapi Bearer':
    case 'oauth4webapi DPoP': {
      const token = stamp.authorization.slice('DPoP '.length);
      const url = new URL(URL_STRING);
      const answerAtOnce = async () => new Response('{}', { status: 200, headers: RESPONSE_HEADERS });
      const options = { [oauth.customFetch]: answerAtOnce };
      if (variant === 'oauth4webapi DPoP') options.DPoP = oauth.DPoP({ client_id: DEFAULT_CLIENT_ID }, await webCryptoPair(pem));
      return () => oauth.protectedResourceRequest(token, 'GET', url, undefined, undefined, options);
    }
    default:
      throw new Error(`no DPoP task ${variant}`);
  }
}

/**
 * 8c: counts `createHash` calls (node:crypto, patched in place; ESM bindings follow through
 * syncBuiltinESMExports) while a DPoP stamper fetches its token and then stamps `hits` requests on cache hits.
 * `ath` is a hash of the token (RFC 9449 §4.2): at least one during the fetch, none on the hits.
 */
export async function countHashes({ tokenEndpoint, scope, pem, hits }) {
  const { createRequire, syncBuiltinESMExports } = await import('node:module');
  const crypto = createRequire(import.meta.url)('node:crypto');
  const original = crypto.createHash;
  let calls = 0;
  crypto.createHash = (...args) => {
    calls++;
    return original(...args);
  };
  syncBuiltinESMExports();
  try {
    const stamper = stamperFor(tokenEndpoint, scope, { privateKey: pem });
    const why = missingDpop(stamper);
    if (why !== undefined) return { skipped: why };
    const stamp = await warmStamp(stamper);
    const duringFetch = calls;
    calls = 0;
    const proofs = new Set();
    for (let i = 0; i < hits; i++) {
      const hit = stamper.stampFor('GET', `${URL_STRING}?i=${i}`);
      if (typeof hit?.then === 'function' || hit.authorization !== stamp.authorization) throw new Error('a stamp that was not a cache hit');
      proofs.add(hit.dpop);
    }
    return { hashesDuringTokenFetch: duringFetch, hashesDuringHits: calls, hits, distinctProofs: proofs.size };
  } finally {
    crypto.createHash = original;
    syncBuiltinESMExports();
  }
}
