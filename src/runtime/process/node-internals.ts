/**
 * Node's internal fields of its own objects (a Worker's `[kHandle]` and `[kPublicPort]`, a BroadcastChannel's
 * `[kHandle]` and `[kName]`): own symbol-keyed properties, found by the symbol's description. Node does not export
 * these symbols; the tracer reads them only where no public API tells what it needs (preload.ts, deliveries.ts).
 *
 * Runs while lesson code runs: the built-ins it uses are captured when the preload loads.
 */
const apply = Reflect.apply;
const { getOwnPropertySymbols, getOwnPropertyDescriptor } = Object;
const symbolDescription = getOwnPropertyDescriptor(Symbol.prototype, 'description')?.get;

/** The own symbol key of `o` that Node describes as `key`, or undefined. */
export function internalKey(o: object, key: string): symbol | undefined {
  if (!symbolDescription) return undefined;
  const keys = getOwnPropertySymbols(o);
  for (let i = 0; i < keys.length; i++) if (apply(symbolDescription, keys[i], []) === key) return keys[i];
  return undefined;
}

/** The value of `o`'s internal field (by its description, or its symbol once known): a data property's, else undefined. */
export function internalField(o: object, key: symbol | string | undefined): unknown {
  const k = typeof key === 'string' ? internalKey(o, key) : key;
  const d = k === undefined ? undefined : getOwnPropertyDescriptor(o, k);
  return d && 'value' in d ? d.value as unknown : undefined;
}
