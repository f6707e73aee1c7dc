/** Checks of option values, each failing with MCA_INVALID_OPTION and a message naming the option, never its value. */
import { McaError, McaErrorCodes } from '../errors/index.js';
import { isLoopbackHostname } from '../matching/index.js';

/** An environment variable's name (`MCA_DPOP`): it is no option path, and no adapter's prefix belongs before it. */
const ENVIRONMENT_VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/** The `option` detail of an McaError about `option`: its path, unless it names an environment variable. */
export function optionDetail(option: string): { option?: string } {
  return ENVIRONMENT_VARIABLE.test(option) ? {} : { option };
}

function invalid(option: string, problem: string): McaError {
  return new McaError(McaErrorCodes.INVALID_OPTION, `Option '${option}' ${problem}.`, optionDetail(option));
}

// CR, LF and other controls in a value that reaches a header or form body would let it smuggle a header.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function optionalText(option: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(option, `must be a string, not ${typeof value}`);
  const trimmed = value.trim();
  if (trimmed === '') throw invalid(option, 'must not be empty');
  if (CONTROL_CHARACTERS.test(trimmed)) throw invalid(option, 'must not contain control characters (CR, LF, NUL)');
  return trimmed;
}

export function textList(option: string, value: unknown, separator: RegExp): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string' && CONTROL_CHARACTERS.test(value)) throw invalid(option, 'must not contain control characters (CR, LF, NUL)');
  const items = typeof value === 'string' ? value.split(separator).filter((item) => item !== '') : Array.isArray(value) ? value : undefined;
  if (items === undefined) throw invalid(option, 'must be a string or an array of strings');
  return items.map((item, index) => optionalText(`${option}[${index}]`, item)).filter((item) => item !== undefined);
}

export interface UrlRules {
  allowInsecureHttp: boolean;
}

/** An absolute http(s) URL with no userinfo; plain http only to loopback unless allowed. */
export function httpUrl(option: string, value: unknown, rules: UrlRules): URL | undefined {
  const text = optionalText(option, value instanceof URL ? value.href : value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(option, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(option, 'must be an http(s) URL');
  if (url.username !== '' || url.password !== '') throw invalid(option, 'must not contain a user name or password');
  if (url.protocol === 'http:' && !rules.allowInsecureHttp && !isLoopbackHostname(url.hostname)) {
    throw invalid(option, 'must use https (plain http is allowed to loopback hosts, or with allowInsecureHttp)');
  }
  return url;
}

export function positiveInteger(option: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(option, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

export function numberInRange(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(option, `must be a number from ${min} to ${max}`);
  }
  return value;
}

export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(option, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`);
  }
  return value as T;
}

export function optionalBoolean(option: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(option, 'must be true or false');
  return value;
}

/** The `env` option: a record of variable names to strings (or undefined), as `process.env` is. */
export function environmentOption(value: unknown): Readonly<Record<string, string | undefined>> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('env', 'must be an object of environment variables, as process.env is');
  }
  return value as Readonly<Record<string, string | undefined>>;
}

export { invalid as invalidOption };
