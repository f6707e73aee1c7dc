/**
 * The copy-paste examples the CLI prints: a `curl` that gets a token and calls the protected API, and a short
 * program per client (axios, got, undici, fetch) with its mca-oauth adapter. The CLI's test runs every one of them.
 */

export interface SnippetTarget {
  readonly tokenEndpoint: string;
  /** The protected API's base URL; `/api/*` wants a token. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly secret: string;
}

export interface Snippet {
  readonly name: 'axios' | 'got' | 'undici' | 'fetch';
  /** What to install for it. */
  readonly install: string;
  /** An ES module: save it as e.g. `try-axios.mjs` and run `node try-axios.mjs`. */
  readonly code: string;
}

/** One shell line (sh, bash, zsh): node reads the token out of the JSON, so no jq is needed. */
export function curlSnippet(target: SnippetTarget): string {
  const token =
    `curl -s -u ${target.clientId}:${target.secret} -d grant_type=client_credentials ${target.tokenEndpoint}` +
    ` | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token'`;
  return `curl -s -H "Authorization: Bearer $(${token})" ${target.apiUrl}/api/echo`;
}

export function clientSnippets(target: SnippetTarget): Snippet[] {
  const options = `{ match: '${target.apiUrl}/api', tokenEndpoint: '${target.tokenEndpoint}', clientId: '${target.clientId}', secret: '${target.secret}' }`;
  const url = `${target.apiUrl}/api/echo`;
  return [
    {
      name: 'axios',
      install: 'npm install axios @mca-oauth/axios',
      code: [
        "import axios from 'axios';",
        "import { installMca } from '@mca-oauth/axios';",
        'const api = axios.create();',
        `installMca(api, ${options});`,
        `console.log((await api.get('${url}')).data.claims);`,
      ].join('\n'),
    },
    {
      name: 'got',
      install: 'npm install got @mca-oauth/got',
      code: [
        "import got from 'got';",
        "import { mcaHooks } from '@mca-oauth/got';",
        `const api = got.extend(mcaHooks(${options}));`,
        `console.log((await api('${url}').json()).claims);`,
      ].join('\n'),
    },
    {
      name: 'undici',
      install: 'npm install undici @mca-oauth/undici',
      code: [
        "import { Agent, request } from 'undici';",
        "import { mcaInterceptor } from '@mca-oauth/undici';",
        `const dispatcher = new Agent().compose(mcaInterceptor(${options}));`,
        `console.log((await (await request('${url}', { dispatcher })).body.json()).claims);`,
        'await dispatcher.close();',
      ].join('\n'),
    },
    {
      name: 'fetch',
      install: 'npm install undici @mca-oauth/undici',
      code: [
        "import { Agent, setGlobalDispatcher } from 'undici';",
        "import { mcaInterceptor } from '@mca-oauth/undici';",
        `setGlobalDispatcher(new Agent().compose(mcaInterceptor(${options})));`,
        `console.log((await (await fetch('${url}')).json()).claims);`,
      ].join('\n'),
    },
  ];
}
