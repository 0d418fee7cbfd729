#!/usr/bin/env node
// The `nestlab` command. The CLI is bundled to out/cli by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../out/cli/nestlab.mjs', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'nestlab: the CLI is not built yet; run `npm install` (or `npm run build:cli`) first.\n',
  );
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
