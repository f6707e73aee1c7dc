// oidc-provider (the certified OpenID Provider on npm) as its own process on 127.0.0.1, set up for
// machine-to-machine use: the client-credentials grant, resource indicators (RFC 8707) and JWT access
// tokens. Prints one JSON line ({ issuer, clientKeyPem }) once it listens; GET /__interop/issued counts
// the tokens it granted per client. With a sixth argument `dpop-nonce`, DPoP (RFC 9449, on by default in
// oidc-provider 9) also requires a server nonce, and GET /__interop/token-exchanges lists what each token
// request sent (its DPoP proof) and got (status, DPoP-Nonce, body), for an independent check. It runs outside Jest because oidc-provider's plain-object checks do
// not hold across Jest's VM realms.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [resource, scope, basicId, basicSecret, jwtId, dpopMode] = process.argv.slice(2);
const requireDpopNonce = dpopMode === 'dpop-nonce';
const tokenExchanges = [];
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const client = generateKeyPairSync('rsa', { modulusLength: 2048 });
const issued = {};

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
  ],
  jwks: { keys: [{ ...signing.privateKey.export({ format: 'jwk' }), kid: 'interop-signing', alg: 'RS256', use: 'sig' }] },
  scopes: [scope],
  ttl: { ClientCredentials: 300 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // nonceSecret signs oidc-provider's stateless, time-slotted nonces; requireNonce makes every proof need one.
    ...(requireDpopNonce && { dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true } }),
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
console.log(JSON.stringify({ issuer, clientKeyPem: client.privateKey.export({ type: 'pkcs8', format: 'pem' }) }));
