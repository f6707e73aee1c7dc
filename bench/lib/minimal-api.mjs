// The protected API of the pair design: as little server work per request as a real API could do, so
// that the server process is never what limits a pair. A token is verified once (signature, audience,
// expiry, by the dev server's verifier) and then recognised by a Set lookup; the answer is a small,
// fixed JSON document every client reads and parses.
import { createServer } from 'node:http';
import { createTokenVerifier, DEFAULT_AUDIENCE, DEFAULT_TENANT_ID, sendBearerRejection } from '@mca-oauth/dev-server';

const BODY = Buffer.from(JSON.stringify({ id: 42, status: 'shipped', lines: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-7', quantity: 1 }] }));
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

/** Starts it on 127.0.0.1; `GET /api/orders/42` answers 200 with a verified token, 401 without. */
export async function startMinimalApi(devServer) {
  const verifier = createTokenVerifier({ server: devServer, audience: [devServer.defaultAudience ?? DEFAULT_AUDIENCE, DEFAULT_TENANT_ID] });
  const verified = new Set();
  let accepted = 0;
  let rejected = 0;
  const answer = (res) => {
    accepted++;
    res.writeHead(200, HEADERS).end(BODY);
  };
  const server = createServer((req, res) => {
    const authorization = req.headers.authorization;
    if (verified.has(authorization)) return answer(res);
    verifier.verify(authorization).then(
      (result) => {
        if (!result.ok) {
          rejected++;
          return sendBearerRejection(res, result);
        }
        if (verified.size > 1000) verified.clear();
        verified.add(authorization);
        answer(res);
      },
      () => res.destroy(),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats: { accepted: () => accepted, rejected: () => rejected },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
