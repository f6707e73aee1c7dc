/** `onBehalfOf`: runs a function, and all the async work it starts, as a given user (AsyncLocalStorage). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { invalidOption } from '../config/validate.js';
import { Subject, type SubjectInput } from './subject.js';

/**
 * One storage per process, not per copy of core: an app that loads core twice (its ESM and CommonJS builds, or
 * two versions through two adapters) still has one "current user".
 */
const STORAGE = Symbol.for('@mca-oauth/core.onBehalfOf');
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<Subject> | undefined>;
const subjects: AsyncLocalStorage<Subject> = (holder[STORAGE] ??= new AsyncLocalStorage<Subject>());

/**
 * Runs `fn` with `subject` as the user whose token requests to token-exchange routes are exchanged for
 * (RFC 8693), and returns what `fn` returns. Everything `fn` starts (promises, timers, callbacks) inherits
 * the user, so it works as middleware whose `next()` returns at once:
 *
 * ```ts
 * app.use((req, res, next) => onBehalfOf(req, next));
 * ```
 *
 * `subject` is the user's access token, or an incoming request (Node `IncomingMessage`, Fetch `Request`,
 * `Headers` or a plain headers object) whose `Authorization: Bearer …` is read as
 * `getAuthorizationHeaderFromIncomingRequest` reads it. It never throws for a bad subject: a request to an
 * exchange route then fails with `MCA_NO_SUBJECT_TOKEN` (none given) or `MCA_INVALID_SUBJECT_TOKEN`
 * (malformed, over 16 KiB, or an expired JWT), and every other request goes out as it would anyway.
 *
 * @throws McaError (`MCA_INVALID_OPTION`) when `fn` is not a function, as every exported function does for a wrong call.
 */
export function onBehalfOf<R>(subject: SubjectInput | null | undefined, fn: () => R): R {
  if (typeof fn !== 'function') {
    throw invalidOption('onBehalfOf(subject, fn)', 'takes the function to run as its second argument');
  }
  return subjects.run(new Subject(subject), fn);
}

/** The user of the current async context, if any. */
export function currentSubject(): Subject | undefined {
  return subjects.getStore();
}
