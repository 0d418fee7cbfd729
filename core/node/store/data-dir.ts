/**
 * Where a host keeps its data: `--data DIR`, else `NESTLAB_DATA`, else the operating
 * system's per-user data folder (`$XDG_DATA_HOME/nestlab` or `~/.local/share/nestlab`,
 * `%APPDATA%\Nestlab`, `~/Library/Application Support/Nestlab`). Electron uses its own
 * `userData` folder instead of the default.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Nestlab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Nestlab');
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'nestlab');
}

/** The data folder for a host: the flag, the environment, or the default, made absolute. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = flag ?? (env.NESTLAB_DATA ? env.NESTLAB_DATA : undefined);
  return resolve(chosen ?? defaultDataDir(process.platform, env));
}
