/**
 * Runs one measuring script in a process of its own (so no figure's JIT state or heap shapes
 * another's) and reads the JSON figure it prints last.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `script` (a file next to this one) with `args`, through tsx; its last line, parsed. */
export function measureInChild<T>(script: string, args: readonly string[]): T {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  // tsx's loader, found from the repository root, however this process was started (its
  // execArgv would hand a `tsx -e` script down).
  const child = spawnSync(process.execPath, ['--import', 'tsx', path, ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{'))
    throw new Error(`bench/${script} ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(last) as T;
}
