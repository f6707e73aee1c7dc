/** Every redirect hop through Node's global fetch with `setGlobalDispatcher(new Agent().compose(mcaInterceptor(o)))`. */
import { runRedirectMatrix } from './redirect-matrix.js';

// Fetch fails the request rather than follow a Location with credentials (undici's fetch, "HTTP-redirect fetch").
const REFUSES_CREDENTIALS = 'fetch refuses a Location that carries credentials';

runRedirectMatrix('fetch', {
  refuses: {
    'userinfo that names the protected origin, in front of another host': REFUSES_CREDENTIALS,
    'userinfo on the protected origin itself': REFUSES_CREDENTIALS,
  },
});
