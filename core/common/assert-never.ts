/** Ends every `switch` over a union: a missed case fails to compile, and throws if reached. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
