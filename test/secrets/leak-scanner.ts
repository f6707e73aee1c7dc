/**
 * The scanner: renders what a caller, a logger or a subscriber can see in every way apps print things, and
 * looks for the secret and the tokens in it, whole or in part.
 */
import { inspect } from 'node:util';

/** Something someone could see: an error a caller caught, a log line, a diagnostics payload, a warning. */
export interface Sighting {
  readonly where: string;
  readonly value: unknown;
}

/** A string that must never show, with a name for the report. */
export interface Needle {
  /** What it is part of: one report per family and place, the most complete needle first. */
  readonly family: string;
  readonly name: string;
  readonly text: string;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(value, (_key, item: unknown) => {
        if (typeof item === 'object' && item !== null) {
          if (seen.has(item)) return '[Circular]';
          seen.add(item);
        }
        return typeof item === 'bigint' ? String(item) : item;
      }) ?? ''
    );
  }
}

/** The ways apps print things: console.log, a template string, JSON loggers, the stack in an error report. */
export function renderings(value: unknown, options: { showHidden: boolean }): ReadonlyArray<[form: string, text: string]> {
  if (options.showHidden) return [['util.inspect(value, { depth: Infinity, showHidden: true })', inspect(value, { depth: Infinity, showHidden: true })]];
  const forms: [string, string][] = [
    ['String(value)', String(value)],
    ['util.inspect(value)', inspect(value)],
    ['util.inspect(value, { depth: Infinity })', inspect(value, { depth: Infinity })],
    ['JSON.stringify(value)', safeJson(value)],
  ];
  if (value instanceof Error || (typeof value === 'object' && value !== null && 'stack' in value)) {
    forms.push(['error.message', String((value as Error).message)], ['error.stack', String((value as Error).stack)]);
  }
  return forms;
}

/** 8-character pieces of a secret: a message that quotes part of it still leaks it. */
function windows(family: string, text: string, size: number): Needle[] {
  const pieces: Needle[] = [];
  for (let start = 0; start + size <= text.length; start++) {
    pieces.push({ family, name: `8 characters of the client secret (from ${start})`, text: text.slice(start, start + size) });
  }
  return pieces;
}

/** The client secret, its pieces, and the Basic credentials built from it (RFC 7617: base64 of `id:secret`). */
export function secretNeedles(clientId: string, secret: string): Needle[] {
  const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
  // From the first base64 group that encodes only bytes of the secret: no reader of the client id matches it.
  const secretOnly = basic.slice(Math.ceil((clientId.length + 1) / 3) * 4, -4);
  return [
    { family: 'secret', name: 'the client secret', text: secret },
    ...windows('secret', secret, 8),
    { family: 'basic', name: 'the Basic credentials', text: basic },
    { family: 'basic', name: 'the base64 of the client secret', text: secretOnly },
  ];
}

/** A proxy password, in every form it travels: itself, percent-encoded in a URL, and in Proxy-Authorization (RFC 7617). */
export function proxyCredentialNeedles(user: string, password: string): Needle[] {
  const basic = Buffer.from(`${user}:${password}`).toString('base64');
  return [
    { family: 'proxy password', name: 'the proxy password', text: password },
    { family: 'proxy password', name: 'the percent-encoded proxy password', text: encodeURIComponent(password) },
    ...windows('proxy password', password, 8).map((needle) => ({ ...needle, name: needle.name.replace('client secret', 'proxy password') })),
    { family: 'proxy basic', name: 'the Proxy-Authorization credentials', text: basic },
    { family: 'proxy basic', name: 'the base64 of the proxy password', text: basic.slice(Math.ceil((user.length + 1) / 3) * 4, -4) },
  ];
}

/** A PEM private key (a TLS client key): its base64 body, in 48-character pieces. */
export function pemKeyNeedles(family: string, pem: string): Needle[] {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const needles: Needle[] = [];
  // From 48: a PKCS#8 body opens with the same ASN.1 header for every key of its curve.
  for (let start = 48; start + 48 <= body.length; start += 24) needles.push({ family, name: `48 characters of the ${family} (from ${start})`, text: body.slice(start, start + 48) });
  return needles;
}

/** Each token, and its signature alone (the part nobody else can make). */
export function tokenNeedles(tokens: Iterable<string>): Needle[] {
  const needles: Needle[] = [];
  let index = 0;
  for (const token of tokens) {
    index++;
    const family = `token #${index}`;
    needles.push({ family, name: `issued token #${index}`, text: token });
    const signature = token.split('.').at(-1);
    if (signature !== undefined && signature !== token && signature.length >= 16) needles.push({ family, name: `the signature of issued token #${index}`, text: signature });
  }
  return needles;
}

/** Each user's subject token (given to onBehalfOf): whole, and its signature (a JWT's start is its header, shared by all). */
export function subjectNeedles(subjects: Iterable<string>): Needle[] {
  const needles: Needle[] = [];
  let index = 0;
  for (const subject of subjects) {
    index++;
    const family = `subject token #${index}`;
    needles.push({ family, name: `subject token #${index}`, text: subject });
    const signature = subject.split('.').at(-1);
    if (signature !== undefined && signature !== subject && signature.length >= 16) needles.push({ family, name: `the signature of subject token #${index}`, text: signature });
  }
  return needles;
}

/** Each place a needle shows: `where › form: name`, once per family of needles. */
export function findLeaks(sightings: readonly Sighting[], needles: readonly Needle[], options: { showHidden: boolean }): string[] {
  const leaks = new Set<string>();
  for (const { where, value } of sightings) {
    for (const [form, text] of renderings(value, options)) {
      const reported = new Set<string>();
      for (const needle of needles) {
        if (reported.has(needle.family) || !text.includes(needle.text)) continue;
        reported.add(needle.family);
        leaks.add(`${where} › ${form}: ${needle.name}`);
      }
    }
  }
  return [...leaks];
}
