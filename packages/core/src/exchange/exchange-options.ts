/** Checks a route's `exchange` option once, when the stamper is created. */
import type { ExchangeOptions } from '../config/options.js';
import { ownOptions } from '../config/own-options.js';
import { invalidOption, optionalText } from '../config/validate.js';
import { ACCESS_TOKEN_TYPE } from '../providers/token-response.js';

export interface ExchangeSettings {
  readonly subjectTokenType: string;
  readonly requestedTokenType: string | undefined;
}

export function exchangeSettings(label: string, value: unknown): ExchangeSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption(label, 'must be an object');
  const options = ownOptions(value as ExchangeOptions);
  return {
    subjectTokenType: optionalText(`${label}.subjectTokenType`, options.subjectTokenType) ?? ACCESS_TOKEN_TYPE,
    requestedTokenType: optionalText(`${label}.requestedTokenType`, options.requestedTokenType),
  };
}
