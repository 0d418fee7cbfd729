/** Ends every switch over a union (style.md §3); the renderer's copy, as it may not import core code. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
