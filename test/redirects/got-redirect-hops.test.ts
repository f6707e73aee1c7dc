/** Every redirect hop through got (our beforeRedirect and beforeRequest hooks, run again on each hop). */
import { runRedirectMatrix } from './redirect-matrix.js';

runRedirectMatrix('got');
