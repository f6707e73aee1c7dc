/**
 * axios's http adapter parks each request on its socket (`socket[Symbol(axios.http.currentReq)]`, axios
 * #10780) and clears it on the request's `close`, which follow-redirects' requests do not emit on a
 * kept-alive socket. So a finished request stays reachable from the agent's free sockets, and anything that
 * inspects them (an error of a later request, with `showHidden`) reaches its headers, our token included.
 */

const PARKED = 'axios.http.currentReq';
/** The parking symbols seen so far: one per copy of axios, found once instead of per response. */
const parkingSymbols = new Set<symbol>();

type Parking = Record<symbol, unknown>;

function learnParkingSymbols(socket: object): void {
  for (const symbol of Object.getOwnPropertySymbols(socket)) if (symbol.description === PARKED) parkingSymbols.add(symbol);
}

/**
 * Unparks `request` (axios's `response.request`, Node's ClientRequest) from its socket once its response is
 * in: what axios itself does on `close`. A socket that already serves the next request is left alone.
 */
export function unparkFinishedRequest(request: unknown): void {
  if (typeof request !== 'object' || request === null) return;
  const socket = (request as { socket?: unknown }).socket;
  if (typeof socket !== 'object' || socket === null) return;
  // follow-redirects parks its own request, which Node's knows as `_redirectable`; without redirects, Node's own.
  const parked = (request as { _redirectable?: unknown })._redirectable ?? request;
  let known = false;
  for (const symbol of parkingSymbols) {
    if (!(symbol in socket)) continue;
    known = true;
    if ((socket as Parking)[symbol] === parked) (socket as Parking)[symbol] = null;
  }
  if (known) return;
  learnParkingSymbols(socket);
  for (const symbol of parkingSymbols) if ((socket as Parking)[symbol] === parked) (socket as Parking)[symbol] = null;
}
