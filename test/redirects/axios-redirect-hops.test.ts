/**
 * Every redirect hop through axios's default http adapter (follow-redirects, our beforeRedirect guard).
 * Not covered: `adapter: 'fetch'`, where fetch follows redirects without calling any hook and keeps Authorization
 * on a same-origin hop outside the prefix (documented in packages/axios/README.md, "Redirects").
 */
import { runRedirectMatrix } from './redirect-matrix.js';

runRedirectMatrix('axios');
