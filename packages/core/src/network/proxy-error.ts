/** MCA_PROXY_ERROR: the proxy, not the endpoint, failed. Names the proxy's origin, never its credentials. */
import { McaError, McaErrorCodes, type McaErrorDetails } from '../errors/index.js';
import type { ProxyServer } from './proxy.js';

const HINTS: Record<number, string> = {
  // RFC 9110 §15.5.8: the proxy wants credentials it did not get, or refused the ones it got.
  407: ': the proxy needs credentials; put them in the proxy URL (http://user:password@host:port)',
  403: ': the proxy does not allow this destination',
};

export function proxyError(proxy: ProxyServer, problem: string, details: McaErrorDetails = {}): McaError {
  const hint = details.status === undefined ? '' : (HINTS[details.status] ?? '');
  return new McaError(McaErrorCodes.PROXY_ERROR, `The proxy ${proxy.origin} ${problem}${hint}.`, details);
}
