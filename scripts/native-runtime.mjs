// One native module, two runtimes: makes better-sqlite3's binary match the runtime about
// to start. `node scripts/native-runtime.mjs node` (tests, the CLI, the web host) checks
// that the binary loads in this Node and, when it was built for another ABI (after
// `npm start`), restores the Node build kept aside or rebuilds it. `… electron` (`npm
// start`) builds it for the installed Electron with @electron/rebuild, keeping the Node
// build aside first; without Electron's binary it says so and changes nothing.
// Each build is kept in node_modules/.cache/nestlab-native/, so switching back and forth
// is a copy, not a compile.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronVersion } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const moduleDir = dirname(require.resolve('better-sqlite3/package.json'));
const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
const marker = join(moduleDir, 'build', 'Release', 'nestlab-runtime.json');
const cache = join(root, 'node_modules', '.cache', 'nestlab-native');
const say = (line) => process.stdout.write(`native-runtime: ${line}\n`);

function hashOf(file) {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '';
}

/** Whether the current binary opens a database in this Node (a child, so a failed load leaves no trace). */
function loadsInNode() {
  const probe = `const D = require(${JSON.stringify(join(moduleDir))}); new D(':memory:').close();`;
  const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  return {
    ok: run.status === 0,
    why: (run.stderr.match(/NODE_MODULE_VERSION \d+[^\n]*/) ??
      run.stderr.match(/Error: [^\n]*/) ?? [''])[0],
  };
}

function keep(label) {
  mkdirSync(cache, { recursive: true });
  copyFileSync(binary, join(cache, `${label}.node`));
}

function restore(label) {
  const kept = join(cache, `${label}.node`);
  if (!existsSync(kept)) return false;
  copyFileSync(kept, binary);
  return true;
}

function mark(runtime, version) {
  writeFileSync(marker, `${JSON.stringify({ runtime, version, sha256: hashOf(binary) })}\n`);
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(marker, 'utf8'));
  } catch {
    return undefined;
  }
}

const nodeLabel = `node-abi${process.versions.modules}-${process.platform}-${process.arch}`;

function forNode() {
  if (existsSync(binary) && loadsInNode().ok) {
    if (readMarker()?.runtime !== 'node') mark('node', process.versions.modules);
    keep(nodeLabel);
    return 0;
  }
  say(
    `better-sqlite3 is not built for this Node (${loadsInNode().why || 'no binary'}); switching it back.`,
  );
  if (restore(nodeLabel) && loadsInNode().ok) {
    mark('node', process.versions.modules);
    say(`restored the Node build (ABI ${process.versions.modules}) kept aside.`);
    return 0;
  }
  say('rebuilding better-sqlite3 for Node from source (a minute or two)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0 || !loadsInNode().ok) {
    say('the rebuild failed; run `npm rebuild better-sqlite3` and read its errors.');
    return 1;
  }
  mark('node', process.versions.modules);
  keep(nodeLabel);
  say(`better-sqlite3 is built for Node ${process.version}.`);
  return 0;
}

function forElectron() {
  const version = electronVersion();
  if (!version) {
    say(
      "Electron's binary is not installed, so better-sqlite3 stays built for Node; skipping the Electron rebuild.",
    );
    return 0;
  }
  const label = `electron-${version}-${process.platform}-${process.arch}`;
  const current = readMarker();
  if (
    current?.runtime === 'electron' &&
    current.version === version &&
    current.sha256 === hashOf(binary)
  )
    return 0;
  if (existsSync(binary) && loadsInNode().ok) keep(nodeLabel);
  if (restore(label)) {
    mark('electron', version);
    say(`switched better-sqlite3 to the Electron ${version} build kept aside.`);
    return 0;
  }
  say(`rebuilding better-sqlite3 for Electron ${version} with @electron/rebuild…`);
  const cli = join(dirname(require.resolve('@electron/rebuild/package.json')), 'lib', 'cli.js');
  const build = spawnSync(
    process.execPath,
    [cli, '--force', '--only', 'better-sqlite3', '--version', version],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) {
    say('the Electron rebuild failed; see the errors above. `npm run web` still works.');
    restore(nodeLabel);
    return 1;
  }
  mark('electron', version);
  keep(label);
  return 0;
}

const runtime = process.argv[2];
if (runtime === 'node') process.exit(forNode());
else if (runtime === 'electron') process.exit(forElectron());
else {
  process.stderr.write('usage: node scripts/native-runtime.mjs node|electron\n');
  process.exit(2);
}
