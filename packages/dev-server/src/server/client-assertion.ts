/** private_key_jwt: verifying a client assertion (RFC 7523 §3) and refusing a replayed one. */
import { decodeJwt, jwtVerify } from 'jose';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import { OAuthErrorResponse } from './oauth-error.js';

/** RFC 7523 §2.2: the only client_assertion_type this server understands. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Remembered jtis are swept of expired ones once the map grows past this. */
const SWEEP_AT = 10_000;

function invalidClient(description: string): OAuthErrorResponse {
  // RFC 7521 §4.2.1: an assertion that is invalid for any reason gets invalid_client.
  return new OAuthErrorResponse(401, 'invalid_client', description);
}

/** Verifies client assertions and remembers their jti until they expire. */
export class ClientAssertionVerifier {
  readonly #seen = new Map<string, number>();

  /**
   * @param audiences what `aud` may be: the token endpoint URL or the issuer (RFC 7523 §3 item 3).
   * @param clientId the `client_id` form parameter, if sent; it must then match `iss`.
   */
  async verify(
    clients: ClientRegistry,
    assertion: string,
    clientId: string | null,
    audiences: string[],
  ): Promise<RegisteredClient> {
    let iss: unknown;
    try {
      iss = decodeJwt(assertion).iss;
    } catch {
      throw invalidClient('client_assertion is not a JWT');
    }
    if (typeof iss !== 'string') throw invalidClient('client_assertion has no iss claim');
    if (clientId !== null && clientId !== iss) throw invalidClient('client_id does not match the client_assertion iss');
    const client = clients.get(iss);
    if (!client?.key) throw invalidClient('unknown client, or client has no public key');

    let jti: string;
    let exp: number;
    try {
      // RFC 7523 §3: iss and sub are the client_id, aud names this server, exp is required. jti
      // is optional there; we require it, because without it a replay cannot be detected.
      const { payload } = await jwtVerify(assertion, client.key, {
        issuer: iss,
        subject: iss,
        audience: audiences,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: 5,
      });
      jti = String(payload.jti);
      exp = payload.exp!;
    } catch (cause) {
      const code = (cause as { code?: string }).code ?? 'ERR_JOSE';
      throw invalidClient(`client_assertion rejected (${code})`);
    }

    const key = `${iss}\u0000${jti}`;
    const now = Math.floor(Date.now() / 1000);
    const seenUntil = this.#seen.get(key);
    // RFC 7523 §3 item 7: the server may keep used jtis and reject a second use.
    if (seenUntil !== undefined && seenUntil + 5 >= now) throw invalidClient('client_assertion jti was already used');
    if (this.#seen.size >= SWEEP_AT) this.#sweep(now);
    this.#seen.set(key, exp);
    return client;
  }

  #sweep(now: number): void {
    for (const [key, exp] of this.#seen) if (exp + 5 < now) this.#seen.delete(key);
  }
}
