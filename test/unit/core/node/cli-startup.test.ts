/**
 * Start-up fits the command: `nestlab check`, `run` and `grade` load no web host, WebSocket,
 * HTTP, SQLite or worker thread, only what they use (a short command's time is mostly its
 * start). Proven by recording every module the process loads through Node's loader, with
 * the built CLI (`npm run test:unit` builds it first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'nestlab-startup-'));
const hook = join(folder, 'record-loads.cjs');
writeFileSync(
  hook,
  `const Module = require('node:module');
const load = Module._load;
const seen = new Set();
Module._load = function (request, ...rest) { seen.add(request); return load.call(this, request, ...rest); };
process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify([...seen]) + '\\n'));
`,
);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The modules a `nestlab` command loaded through Node's loader, bare names (`node:` dropped). */
function loadedBy(args: readonly string[]): string[] {
  const result = spawnSync(process.execPath, ['--require', hook, 'bin/nestlab.js', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  const line = result.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (line === undefined) throw new Error(`no LOADED line:\n${result.stderr}`);
  return (JSON.parse(line.slice('LOADED '.length)) as string[]).map((m) => m.replace(/^node:/, ''));
}

const WEB_HOST = ['ws', 'better-sqlite3', 'http', 'https', 'net', 'worker_threads', 'zlib'];

describe('start-up fits the command', () => {
  it.each([
    ['check', ['check', 'labs/e1-nested-vm-out.lab.yaml']],
    ['run', ['run', 'labs/e4-inline-bridge.lab.yaml', '--json']],
    ['grade', ['grade', 'labs/e1-nested-vm-out.lab.yaml', 'labs/e1-nested-vm-out.lab.yaml']],
  ])('nestlab %s loads no web host, WebSocket, HTTP, SQLite or worker', (_name, args) => {
    const loaded = loadedBy(args);
    expect(loaded.filter((m) => WEB_HOST.includes(m))).toEqual([]);
    expect(loaded).toContain('fs');
  });

  it('nestlab serve does load them (the recording sees what it should)', () => {
    const loaded = loadedBy(['serve', '--port', '70000']);
    // A bad port is refused before listening, after the web host's modules are loaded.
    expect(loaded).toEqual(expect.arrayContaining(['ws', 'better-sqlite3', 'http']));
  });
});
