/**
 * The client-credentials grant (RFC 6749 §4.4), spoken two ways: plain OAuth 2.0, and the MCA server's form
 * of it (`{serverUrl}/authorization/v1/apps/{appId}/token`, Basic with the raw `clientId:secret`).
 */
import { isCertificateAuth, type ResolvedTokenConfig } from '../config/resolve.js';
import { McaError, McaErrorCodes, isMcaError } from '../errors/index.js';
import type { DpopProver } from '../dpop/prover.js';
import { send, DEFAULT_MAX_RESPONSE_BYTES, type HttpExchange } from '../http/send.js';
import { createAssertionSigner, CLIENT_ASSERTION_TYPE, type AssertionSigner } from './client-assertion.js';
import { discover } from './discovery.js';
import { expiryOf } from './expiry.js';
import { IssuedToken, type TokenProvider } from './issued-token.js';
import { checkTokenResponse, type CheckedTokenResponse, type Redactor } from './token-response.js';

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before they are joined and base64-encoded. */
function formEncode(value: string): string {
  return new URLSearchParams([['v', value]]).toString().slice(2);
}

/** Replaces the client secret, and the Basic credentials made from it, wherever a server echoes them. */
function secretRedactor(config: ResolvedTokenConfig): Redactor {
  const secret = config.secret?.reveal();
  if (secret === undefined || secret.length < 4) return (text) => text;
  const forms = [secret, formEncode(secret), Buffer.from(`${config.clientId}:${secret}`).toString('base64')];
  forms.push(Buffer.from(`${formEncode(config.clientId)}:${formEncode(secret)}`).toString('base64'));
  return (text) => forms.reduce((redacted, form) => redacted.split(form).join('[redacted]'), text);
}

/**
 * RFC 9449 §8: a 400 whose body's `error` is `use_dpop_nonce`, with a `DPoP-Nonce` header (already remembered for
 * the endpoint's origin, so the next proof carries it).
 */
function asksForTokenNonce(exchange: HttpExchange, dpop: DpopProver, endpoint: URL): boolean {
  if (exchange.status !== 400 || dpop.rememberNonce(endpoint, exchange.headers) === undefined) return false;
  try {
    const body = JSON.parse(exchange.body.toString('utf8')) as unknown;
    return typeof body === 'object' && body !== null && (body as { error?: unknown }).error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}

export class ClientCredentialsProvider implements TokenProvider {
  readonly cacheKey: string;
  readonly #config: ResolvedTokenConfig;
  readonly #now: () => number;
  #tokenEndpoint: Promise<URL> | undefined;
  #signer: AssertionSigner | undefined;
  readonly #redact: Redactor;

  constructor(config: ResolvedTokenConfig, now: () => number = () => Date.now()) {
    this.#config = config;
    this.cacheKey = config.cacheKey;
    this.#now = now;
    this.#redact = secretRedactor(config);
    if (config.tokenEndpoint !== undefined) this.#tokenEndpoint = Promise.resolve(config.tokenEndpoint);
    if (config.clientAuth === 'private_key_jwt' && config.privateKey !== undefined) {
      // Built now so that a bad key fails at configuration, not at the first request.
      this.#signer = createAssertionSigner(config.clientId, config.privateKey, config.privateKeyAlg, config.privateKeyId);
    }
  }

  async fetchToken(signal?: AbortSignal): Promise<IssuedToken> {
    const { checked, sentAt } = await this.requestToken([['grant_type', 'client_credentials']], { ...(signal !== undefined && { signal }) });
    const expiresAt = expiryOf(checked.accessToken, checked.expiresInSec, sentAt, this.#config.defaultLifetimeSec);
    return new IssuedToken(checked.accessToken, sentAt, expiresAt, checked.scope);
  }

  /**
   * Posts `grant` (with the configured scope, audience, resources and extra parameters) to the token endpoint,
   * authenticated as this client by its configured method, and checks the answer. Other grants (token exchange)
   * reuse it so that every client authentication method works for them too, and so does DPoP.
   */
  async requestToken(
    grant: readonly (readonly [string, string])[],
    options: { signal?: AbortSignal; redact?: Redactor; exchange?: boolean } = {},
  ): Promise<{ checked: CheckedTokenResponse; sentAt: number }> {
    const { signal } = options;
    const endpoint = await this.#endpoint(signal);
    let sentAt = this.#now();
    let exchange = await this.#send(endpoint, grant, signal);
    // RFC 9449 §8: the server wants a nonce in the proof. Sent once more with it: a new proof (new jti) and, under
    // private_key_jwt, a new client assertion (its jti is single-use too).
    if (this.#config.dpop !== undefined && asksForTokenNonce(exchange, this.#config.dpop, endpoint)) {
      sentAt = this.#now();
      exchange = await this.#send(endpoint, grant, signal);
    }
    const target = `${endpoint.origin}${endpoint.pathname}`;
    const redact = options.redact === undefined ? this.#redact : (text: string) => options.redact!(this.#redact(text));
    const checked = checkTokenResponse(exchange, {
      target,
      protocol: this.#config.protocol,
      now: this.#now(),
      redact,
      ...(options.exchange === true && { exchange: true }),
      dpop: this.#config.dpop !== undefined,
    });
    return { checked, sentAt };
  }

  async #send(endpoint: URL, grant: readonly (readonly [string, string])[], signal: AbortSignal | undefined): Promise<HttpExchange> {
    const { headers, form } = await this.#request(endpoint, grant);
    // RFC 9449 §5: the token request carries a proof for POST and the token endpoint, without `ath`.
    if (this.#config.dpop !== undefined) headers['dpop'] = this.#config.dpop.proof('POST', endpoint);
    const exchange = await send(endpoint, {
      method: 'POST',
      headers,
      body: form.toString(),
      timeoutMs: this.#config.timeoutMs,
      maxBytes: DEFAULT_MAX_RESPONSE_BYTES,
      purpose: 'token request',
      network: this.#config,
      ...(signal !== undefined && { signal }),
    });
    // RFC 9449 §8.2: a server may hand out a fresh nonce on any response.
    this.#config.dpop?.rememberNonce(endpoint, exchange.headers);
    return exchange;
  }

  #endpoint(signal?: AbortSignal): Promise<URL> {
    if (this.#tokenEndpoint !== undefined) return this.#tokenEndpoint;
    const issuer = this.#config.issuer as URL;
    const discovered = discover(issuer, {
      timeoutMs: this.#config.timeoutMs,
      allowInsecureHttp: this.#config.allowInsecureHttp,
      network: this.#config,
      mtls: isCertificateAuth(this.#config.clientAuth),
      ...(signal !== undefined && { signal }),
    }).then((metadata) => metadata.tokenEndpoint);
    this.#tokenEndpoint = discovered;
    // A failed discovery is tried again next time (the cache's backoff paces it), never remembered.
    discovered.catch(() => {
      if (this.#tokenEndpoint === discovered) this.#tokenEndpoint = undefined;
    });
    return discovered;
  }

  async #request(endpoint: URL, grant: readonly (readonly [string, string])[]): Promise<{ headers: Record<string, string>; form: URLSearchParams }> {
    const config = this.#config;
    const form = new URLSearchParams(grant as [string, string][]);
    if (config.scope !== undefined) form.set('scope', config.scope);
    if (config.audience !== undefined) form.set('audience', config.audience);
    for (const resource of config.resources) form.append('resource', resource);
    for (const [name, value] of config.extraParams) form.append(name, value);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    switch (config.clientAuth) {
      case 'client_secret_basic': {
        const secret = (config.secret as NonNullable<ResolvedTokenConfig['secret']>).reveal();
        const pair = config.protocol === 'mca' ? `${config.clientId}:${secret}` : `${formEncode(config.clientId)}:${formEncode(secret)}`;
        headers['authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
        break;
      }
      case 'client_secret_post':
        form.set('client_id', config.clientId);
        form.set('client_secret', (config.secret as NonNullable<ResolvedTokenConfig['secret']>).reveal());
        break;
      case 'private_key_jwt':
        form.set('client_id', config.clientId);
        form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
        form.set('client_assertion', await this.#assertion(endpoint));
        break;
      case 'tls_client_auth':
      case 'self_signed_tls_client_auth':
        // RFC 8705 §2: the certificate of the TLS connection authenticates; the body names the client.
        form.set('client_id', config.clientId);
        break;
    }
    return { headers, form };
  }

  async #assertion(endpoint: URL): Promise<string> {
    try {
      return await (this.#signer as AssertionSigner).sign(`${endpoint.origin}${endpoint.pathname}`);
    } catch (error) {
      if (isMcaError(error)) throw error;
      throw new McaError(McaErrorCodes.INVALID_OPTION, "The client assertion could not be signed: check 'privateKey' and 'privateKeyAlg'.");
    }
  }
}
