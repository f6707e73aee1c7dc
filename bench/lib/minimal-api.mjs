// The protected API of the pair design: as little server work per request as a real API could do, so
// that the server process is never what limits a pair. A token is verified once (signature, audience,
// expiry, by the dev server's verifier) and then recognised by a Set lookup; the answer is a small,
// fixed JSON document every client reads and parses. A request with a DPoP proof (RFC 9449) has its proof
// checked every time, as a real API must (each proof is new; the verifier remembers the token itself), so a
// DPoP pair costs the server more per request than a Bearer pair: its "server cores used" says how much.
import { createServer } from 'node:http';
import { createTokenVerifier, DEFAULT_AUDIENCE, DEFAULT_TENANT_ID, dpopRequestOf, sendBearerRejection } from '@mca-oauth/dev-server';

const BODY = Buffer.from(JSON.stringify({ id: 42, status: 'shipped', lines: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-7', quantity: 1 }] }));
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

/**
 * Starts it on 127.0.0.1; `GET /api/orders/42` answers 200 with a verified token, 401 without. Its stats count
 * the accepted requests that carried a DPoP proof and those whose token was exchanged (an `act` claim, RFC 8693
 * §4.1): section 0 checks that a `+dpop` or `+exchange` variant really sent what its name says.
 */
export async function startMinimalApi(devServer) {
  const verifier = createTokenVerifier({ server: devServer, audience: [devServer.defaultAudience ?? DEFAULT_AUDIENCE, DEFAULT_TENANT_ID] });
  /** A Bearer token verified once → whether it was exchanged. */
  const verified = new Map();
  const counts = { accepted: 0, rejected: 0, proven: 0, exchanged: 0 };
  const answer = (res, proven, exchanged) => {
    counts.accepted++;
    if (proven) counts.proven++;
    if (exchanged) counts.exchanged++;
    res.writeHead(200, HEADERS).end(BODY);
  };
  const server = createServer((req, res) => {
    const authorization = req.headers.authorization;
    const proven = req.headers.dpop !== undefined;
    const known = proven ? undefined : verified.get(authorization);
    if (known !== undefined) return answer(res, false, known);
    verifier.verify(authorization, proven ? { dpop: dpopRequestOf(req) } : undefined).then(
      (result) => {
        if (!result.ok) {
          counts.rejected++;
          return sendBearerRejection(res, result);
        }
        const exchanged = result.payload.act !== undefined;
        if (!proven) {
          if (verified.size > 1000) verified.clear();
          verified.set(authorization, exchanged);
        }
        // Counted as proven only when the verifier checked the proof: a DPoP header beside a Bearer token is not.
        answer(res, result.scheme === 'DPoP', exchanged);
      },
      () => res.destroy(),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats: { accepted: () => counts.accepted, rejected: () => counts.rejected, snapshot: () => ({ ...counts }) },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
