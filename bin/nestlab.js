#!/usr/bin/env node
// The `nestlab` command. The CLI is bundled to out/cli by `npm install` (the prepare script).
//
// A short-lived command spends much of its life starting, so this file is CommonJS (bin/'s own
// package.json: Node's ES module loader would cost a few milliseconds more), and the bundle is
// compiled with a V8 code cache kept beside it (nestlab.cjs.cache), as Node 22's module compile
// cache does for modules: V8 checks the cache against the source and its own version and flags,
// and rejects one that does not fit, which is then written anew. A cache that cannot be read
// or written (a read-only install) only costs the time it would have saved.
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const entry = join(__dirname, '..', 'out', 'cli', 'nestlab.cjs');

/**
 * A one-shot command (check, run, grade) is over in a tenth of a second on a classroom lab, so
 * V8's optimizing compiler, tiering up at its default budget, spends about as long compiling
 * code in the background (215 ms of TurboFan for `run` on a 200-host lab here) as the command
 * takes, on the same cores: `run` on that lab went from ~150 ms to ~125 ms with a budget of
 * 1 MiB of bytecode (Node 20's default is 66 KB). Long runs still reach optimized code, a
 * little later: a 10,000-VM lab or a storm at its event budget takes the same time, within a
 * few per cent. The web host is long-lived and keeps V8's default.
 */
const SHORT_LIVED = new Set(['check', 'run', 'grade']);
// The command comes first (`nestlab run FILE --json`), as main() reads it.
const shortLived = SHORT_LIVED.has(process.argv[2] ?? '');

// V8 checks a code cache against its flags too: one cache per set, so switching between `serve`
// and `run` does not throw the other's away.
const cacheFile = `${entry}${shortLived ? '.short' : ''}.cache`;

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

function start() {
  if (shortLived) require('node:v8').setFlagsFromString('--interrupt-budget=1048576');
  if (!existsSync(entry)) {
    process.stderr.write(
      'nestlab: the CLI is not built yet; run `npm install` (or `npm run build:cli`) first.\n',
    );
    process.exitCode = 2;
    return;
  }
  const cachedData = readCache();
  const source = readFileSync(entry, 'utf8');
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: entry, ...(cachedData ? { cachedData } : {}) },
  );
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(entry), bundle, entry, dirname(entry));
  void bundle.exports.main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // After the command ran, so the cache holds the functions it compiled too.
    if (cachedData === undefined || script.cachedDataRejected) writeCache(script);
  });
}

start();
