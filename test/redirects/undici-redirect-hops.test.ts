/** Every redirect hop through `new Agent().compose(mcaInterceptor(o), interceptors.redirect(...))`. */
import { runRedirectMatrix } from './redirect-matrix.js';

runRedirectMatrix('undici');
