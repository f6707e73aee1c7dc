// oidc-provider (the certified OpenID Provider on npm) as its own process on 127.0.0.1, set up for
// machine-to-machine use: the client-credentials grant, resource indicators (RFC 8707) and JWT access
// tokens. Prints one JSON line ({ issuer, clientKeyPem }) once it listens; GET /__interop/issued counts
// the tokens it granted per client. It runs outside Jest because oidc-provider's plain-object checks do
// not hold across Jest's VM realms.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [resource, scope, basicId, basicSecret, jwtId] = process.argv.slice(2);
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
  return handle(req, res);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
console.log(JSON.stringify({ issuer, clientKeyPem: client.privateKey.export({ type: 'pkcs8', format: 'pem' }) }));
