/** Colour for terminals only: never in a pipe, a file, or with NO_COLOR set. */
export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function paintFor(stream: NodeJS.WriteStream): Paint {
  const on = stream.isTTY === true && !('NO_COLOR' in process.env);
  const wrap = (code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap(31), yellow: wrap(33), green: wrap(32), dim: wrap(2), bold: wrap(1) };
}
