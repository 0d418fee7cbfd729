#!/usr/bin/env node
// The `nestlab` command. The CLI is bundled to out/cli by `npm install` (the prepare script).
//
// A short-lived command spends much of its life compiling its code, so the bundle is compiled
// with a V8 code cache kept beside it (nestlab.cjs.cache), as Node 22's module compile cache
// does for modules: V8 checks the cache against the source and its own version and flags, and
// rejects one that does not fit, which is then written anew. A cache that cannot be read or
// written (a read-only install) only costs the time it would have saved.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const entry = fileURLToPath(new URL('../out/cli/nestlab.cjs', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'nestlab: the CLI is not built yet; run `npm install` (or `npm run build:cli`) first.\n',
  );
  process.exit(2);
}
const cacheFile = `${entry}.cache`;

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(script) {
  try {
    const temporary = `${cacheFile}.${process.pid}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only install: run without a cache.
  }
}

const cachedData = readCache();
const source = readFileSync(entry, 'utf8');
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
  { filename: entry, ...(cachedData ? { cachedData } : {}) },
);
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(entry), module, entry, dirname(entry));
const code = await module.exports.main(process.argv.slice(2));
// After the command ran, so the cache holds the functions it compiled too.
if (cachedData === undefined || script.cachedDataRejected) writeCache(script);
process.exitCode = code;
