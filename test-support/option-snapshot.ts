/**
 * A comparable copy of what a user's hook or interceptor sees (a request's options, config or dispatch
 * options), taken at the moment it sees it: issue #20 asks that an unmatched request look the same with the
 * adapter as without it, symbol keys included.
 */

/** Every own key, symbols and non-enumerable ones included, in order, with a copy of its value. */
type Entries = [key: string, value: unknown][];

export interface Snapshot {
  readonly kind: string;
  readonly entries?: Entries;
  readonly value?: unknown;
}

const MAX_DEPTH = 6;

function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? `Symbol(${key.description ?? ''})` : key;
}

function kindOf(value: object): string {
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype === null ? 'null-prototype' : (prototype.constructor?.name ?? 'anonymous');
}

/**
 * Plain data is copied; functions and class instances whose state is not the request's (agents, signals)
 * compare by identity at the leaves; URLs by their href. Objects deeper than MAX_DEPTH, and cycles, are
 * reduced to their kind and keys, which still shows a key of ours.
 */
export function snapshotOf(value: unknown, omit: readonly string[] = [], depth = 0, seen = new Set<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof URL) return { kind: 'URL', value: value.href } satisfies Snapshot;
  if (value instanceof URLSearchParams) return { kind: 'URLSearchParams', value: value.toString() } satisfies Snapshot;
  if (Buffer.isBuffer(value)) return { kind: 'Buffer', value: value.toString('base64') } satisfies Snapshot;
  if (value instanceof Map) return { kind: 'Map', value: snapshotOf([...value], [], depth + 1, seen) } satisfies Snapshot;
  const keys = Reflect.ownKeys(value).filter((key) => !omit.includes(keyName(key)));
  if (depth >= MAX_DEPTH || seen.has(value)) return { kind: kindOf(value), value: keys.map(keyName) } satisfies Snapshot;
  seen.add(value);
  const entries: Entries = keys.map((key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
    const field = 'value' in descriptor ? descriptor.value : descriptor.get;
    return [`${keyName(key)}${descriptor.enumerable === true ? '' : ' (hidden)'}`, snapshotOf(field, [], depth + 1, seen)];
  });
  seen.delete(value);
  return { kind: kindOf(value), entries } satisfies Snapshot;
}

/** An object's kind and own keys without their values: for objects whose state is the request's (a handler). */
export function shapeOf(value: object): Snapshot {
  return { kind: kindOf(value), value: Reflect.ownKeys(value).map(keyName) };
}
