// oidc-provider (the certified OpenID Provider on npm) as its own process on 127.0.0.1, set up for
// machine-to-machine use: the client-credentials grant, resource indicators (RFC 8707) and JWT access
// tokens. Prints one JSON line ({ issuer, clientKeyPem }) once it listens; GET /__interop/issued counts
// the tokens it granted per client. With a sixth argument `dpop-nonce`, DPoP (RFC 9449, on by default in
// oidc-provider 9) also requires a server nonce, and GET /__interop/token-exchanges lists what each token
// request sent (its DPoP proof) and got (status, DPoP-Nonce, body), for an independent check. It runs outside Jest because oidc-provider's plain-object checks do
// not hold across Jest's VM realms.
// With INTEROP_TLS (JSON: ca, cert, key, tlsClient { id, subject }, selfSignedClient { id, cert }) it serves
// https, asks for client certificates, and has RFC 8705 clients (features.mTLS) whose tokens are bound.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Provider from 'oidc-provider';

const [resource, scope, basicId, basicSecret, jwtId, dpopMode] = process.argv.slice(2);
const requireDpopNonce = dpopMode === 'dpop-nonce';
const tokenExchanges = [];
const tls = process.env.INTEROP_TLS === undefined ? undefined : JSON.parse(process.env.INTEROP_TLS);
const server = tls === undefined ? createServer() : createHttpsServer({ cert: tls.cert, key: tls.key, ca: [tls.ca], requestCert: true, rejectUnauthorized: false });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${server.address().port}`;
const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const client = generateKeyPairSync('rsa', { modulusLength: 2048 });
const issued = {};

function mtlsClients() {
  const common = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope, tls_client_certificate_bound_access_tokens: true };
  const selfSigned = new X509Certificate(tls.selfSignedClient.cert);
  return [
    { ...common, client_id: tls.tlsClient.id, token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: tls.tlsClient.subject },
    {
      ...common,
      client_id: tls.selfSignedClient.id,
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: { keys: [{ ...selfSigned.publicKey.export({ format: 'jwk' }), x5c: [selfSigned.raw.toString('base64')] }] },
    },
  ];
}

const provider = new Provider(issuer, {
  clients: [
    { client_id: basicId, client_secret: basicSecret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic', scope },
    {
      client_id: jwtId,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS256',
      jwks: { keys: [{ ...client.publicKey.export({ format: 'jwk' }), kid: 'interop-client', alg: 'RS256', use: 'sig' }] },
      scope,
    },
    ...(tls === undefined ? [] : mtlsClients()),
  ],
  ...(tls !== undefined && { clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'] }),
  ...(tls !== undefined && { discovery: { mtls_endpoint_aliases: { token_endpoint: `${issuer}/token` } } }),
  jwks: { keys: [{ ...signing.privateKey.export({ format: 'jwk' }), kid: 'interop-signing', alg: 'RS256', use: 'sig' }] },
  scopes: [scope],
  ttl: { ClientCredentials: 300 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // nonceSecret signs oidc-provider's stateless, time-slotted nonces; requireNonce makes every proof need one.
    ...(requireDpopNonce && { dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true } }),
    ...(tls !== undefined && {
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx) => ctx.socket.getPeerX509Certificate?.(),
        certificateAuthorized: (ctx) => ctx.socket.authorized === true,
        certificateSubjectMatches: (ctx, property, expected) => property === 'tls_client_auth_subject_dn' && ctx.socket.getPeerX509Certificate?.()?.subject === expected,
      },
    }),
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({ scope, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } }),
    },
  },
});
provider.on('grant.success', (ctx) => {
  const id = ctx.oidc.client?.clientId ?? 'unknown';
  issued[id] = (issued[id] ?? 0) + 1;
});
const handle = provider.callback();
server.on('request', (req, res) => {
  if (req.url === '/__interop/issued') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issued));
  if (req.url === '/__interop/token-exchanges') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokenExchanges));
  if (req.url === '/token') {
    const exchange = { proof: req.headers.dpop ?? null, status: 0, dpopNonce: null, body: null };
    tokenExchanges.push(exchange);
    const end = res.end;
    res.end = function (chunk, ...rest) {
      exchange.status = res.statusCode;
      exchange.dpopNonce = res.getHeader('dpop-nonce') ?? null;
      if (chunk !== undefined && typeof chunk !== 'function') exchange.body = JSON.parse(String(chunk));
      return end.call(this, chunk, ...rest);
    };
  }
  return handle(req, res);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
const publicJwks = { keys: [{ ...signing.publicKey.export({ format: 'jwk' }), kid: 'interop-signing', alg: 'RS256', use: 'sig' }] };
console.log(JSON.stringify({ issuer, clientKeyPem: client.privateKey.export({ type: 'pkcs8', format: 'pem' }), jwks: publicJwks }));
