/**
 * The servers of the secrets scan, on 127.0.0.1: an authorization server that knows our client by a secret made
 * up for this run (and a second client by a private key), the token tap in front of it, the protected API,
 * another origin, and a server that never answers.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeIdleTokenConnections, type McaOptions } from '@mca-oauth/core';
import { startDevServer, startEchoServer, startProtectedApi, type DevServer, type EchoServer, type ProtectedApi } from '@mca-oauth/dev-server';
import { secretNeedles, subjectNeedles, tokenNeedles, type Needle } from './leak-scanner.js';
import { startSilentServer, type SilentServer } from './silent-server.js';
import { startTokenTap, type TokenTap } from './token-tap.js';

export const CLIENT_ID = 'secrets-scan-client';
/**
 * Random per run, so it can only show up in output by leaking. It starts with a letter, as most secrets do: a
 * JSON parser reports a stray letter by quoting the text around it, a stray digit by its position only.
 */
export const SECRET = `s${randomBytes(24).toString('base64url')}`;
/** A wrong secret a misconfigured app sends: it must not leak either. */
export const WRONG_SECRET = `w${randomBytes(24).toString('base64url')}`;

export const KEY_CLIENT_ID = 'secrets-scan-key-client';
/** The `aud` of users' tokens that the scanned service may exchange. */
export const MIDDLE_TIER = 'urn:mca-oauth:secrets-middle-tier';
const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const PRIVATE_KEY_PEM = keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const privateJwk = keyPair.privateKey.export({ format: 'jwk' });

/** The DPoP key (RFC 9449) of the scan: `options({ dpop: { privateKey: DPOP_KEY_PEM } })`. */
const dpopKeyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const DPOP_KEY_PEM = dpopKeyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const dpopJwk = dpopKeyPair.privateKey.export({ format: 'jwk' });

function privateKeyNeedles(): Needle[] {
  const body = PRIVATE_KEY_PEM.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const dpopBody = DPOP_KEY_PEM.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return [
    { family: 'private key', name: 'the private key (PEM body)', text: body.slice(-64) },
    { family: 'private key', name: 'the private key (JWK d)', text: String(privateJwk.d) },
    { family: 'DPoP key', name: 'the DPoP private key (PEM body)', text: dpopBody.slice(-64) },
    { family: 'DPoP key', name: 'the DPoP private key (JWK d)', text: String(dpopJwk.d) },
  ];
}

export interface SecretsWorld {
  readonly auth: DevServer;
  readonly tap: TokenTap;
  readonly api: ProtectedApi;
  readonly elsewhere: EchoServer;
  readonly silent: SilentServer;
  /** OAuth 2.0 client_secret_basic through the tap, matching `${api.url}/api`, with its own cache. */
  options(extra?: Partial<McaOptions>): McaOptions;
  /** The secrets, the private key, and every token issued so far (from the tap and from the API's log). */
  needles(): Needle[];
  /** A user's token for the middle tier (what onBehalfOf gets); a needle from now on. */
  subjectToken(sub: string, ttlSec?: number): Promise<string>;
  /** A string given to onBehalfOf that must not show either (a malformed subject). */
  rememberSubject(subject: string): void;
  /** How many tokens were issued so far. */
  readonly tokensIssued: number;
  /** A token obtained around the tap (`Bearer …` or bare), to look for too. */
  rememberToken(authorization: string): void;
  /** Before each scenario: no faults, no pending 401s, empty logs (their tokens are kept for the needles). */
  reset(): void;
  close(): Promise<void>;
}

export async function startSecretsWorld(): Promise<SecretsWorld> {
  const auth = await startDevServer({
    signingAlg: 'ES256',
    exchangeSubjectAudiences: [MIDDLE_TIER],
    clients: [
      { id: CLIENT_ID, secret: SECRET },
      { id: KEY_CLIENT_ID, publicKey: keyPair.publicKey.export({ format: 'jwk' }) as never },
    ],
  });
  const [tap, api, elsewhere, silent] = await Promise.all([startTokenTap(auth.url), startProtectedApi({ server: auth }), startEchoServer(), startSilentServer()]);
  const stamped = new Set<string>();
  const subjects = new Set<string>();
  const harvest = (): void => {
    for (const path of api.received.paths()) {
      for (const value of api.received.authorizations(path)) if (value !== undefined && /^(Bearer|DPoP) /.test(value)) stamped.add(value.replace(/^(Bearer|DPoP) /, ''));
    }
  };
  return {
    auth,
    tap,
    api,
    elsewhere,
    silent,
    options: (extra = {}) => ({
      match: `${api.url}/api`,
      tokenEndpoint: `${tap.url}/oauth2/token`,
      clientId: CLIENT_ID,
      secret: SECRET,
      cacheSize: 5,
      env: {},
      ...extra,
    }),
    needles() {
      harvest();
      return [
        ...secretNeedles(CLIENT_ID, SECRET),
        ...secretNeedles(CLIENT_ID, WRONG_SECRET),
        ...privateKeyNeedles(),
        ...tokenNeedles(new Set([...tap.tokens, ...stamped])),
        ...subjectNeedles(subjects),
      ];
    },
    async subjectToken(sub, ttlSec = 600) {
      const now = Math.floor(Date.now() / 1000);
      const token = await auth.signToken({ iss: auth.issuer, sub, aud: MIDDLE_TIER, iat: now, exp: now + ttlSec });
      subjects.add(token);
      return token;
    },
    rememberSubject(subject) {
      subjects.add(subject);
    },
    rememberToken(authorization) {
      stamped.add(authorization.replace(/^(Bearer|DPoP) /, ''));
    },
    get tokensIssued() {
      harvest();
      return new Set([...tap.tokens, ...stamped]).size;
    },
    reset() {
      harvest();
      auth.faults.clear();
      auth.stats.reset();
      api.rejectNext(0);
      api.received.clear();
      elsewhere.received.clear();
    },
    close: async () => {
      await Promise.all([tap.close(), silent.close()]);
      await Promise.all([auth.close(), api.close(), elsewhere.close()]);
      closeIdleTokenConnections();
    },
  };
}
