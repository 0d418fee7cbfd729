/**
 * The `nestlab` command line (lab-format.md): check, run, grade, serve. Each command
 * returns its exit code; nothing here decides a rule, it only reads files and prints what
 * the core says. Each command's module is loaded only when it runs, so `check`, `run` and
 * `grade` never load the web host's WebSocket server, HTTP or SQLite (start-up is most of a
 * small lab's time to a verdict).
 */

const USAGE = `Usage:
  nestlab check FILE… [--json]                 parse and validate lab files (exit 0 valid, 2 invalid)
  nestlab run FILE [--json] [--pcap OUT.pcapng]  run the traffic script and grade the objectives
                                               (exit 0 all pass, 1 some fail, 2 invalid file)
  nestlab grade LAB ATTEMPT… [--json|--csv]    grade attempts against the trainer's lab
  nestlab serve [--port N] [--labs DIR] [--data DIR]
                                               start the web host on 127.0.0.1 and print its URL;
                                               work is saved in DIR (or $NESTLAB_DATA, or the
                                               user's data folder)
`;

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--port', '--pcap', '--labs', '--data']);

export function parseArgs(argv: readonly string[]): Parsed | string {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) positional.push(arg);
    else if (VALUE_FLAGS.has(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value.`;
      flags.set(arg, value);
      i++;
    } else flags.set(arg, true);
  }
  return { positional, flags };
}

function fail(message: string): number {
  process.stderr.write(`nestlab: ${message}\n\n${USAGE}`);
  return 2;
}

function allowOnly(parsed: Parsed, allowed: readonly string[]): string | undefined {
  const unknown = [...parsed.flags.keys()].find((f) => !allowed.includes(f));
  return unknown === undefined ? undefined : `unknown option ${unknown}.`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const parsed = parseArgs(rest);
  if (typeof parsed === 'string') return fail(parsed);
  switch (command) {
    case 'check': {
      const bad = allowOnly(parsed, ['--json']);
      if (bad) return fail(bad);
      if (parsed.positional.length === 0) return fail('check needs at least one lab file.');
      const { runCheck } = await import('./check-command');
      return runCheck(parsed.positional, parsed.flags.has('--json'));
    }
    case 'run': {
      const bad = allowOnly(parsed, ['--json', '--pcap']);
      if (bad) return fail(bad);
      const [file, ...extra] = parsed.positional;
      if (file === undefined || extra.length > 0) return fail('run needs exactly one lab file.');
      const pcap = parsed.flags.get('--pcap');
      const { runRun } = await import('./run-command');
      return runRun(file, parsed.flags.has('--json'), typeof pcap === 'string' ? pcap : undefined);
    }
    case 'grade': {
      const bad = allowOnly(parsed, ['--json', '--csv']);
      if (bad) return fail(bad);
      const [lab, ...attempts] = parsed.positional;
      if (lab === undefined || attempts.length === 0)
        return fail('grade needs the lab and at least one attempt.');
      if (parsed.flags.has('--json') && parsed.flags.has('--csv'))
        return fail('choose one of --json and --csv.');
      const format = parsed.flags.has('--json')
        ? 'json'
        : parsed.flags.has('--csv')
          ? 'csv'
          : 'table';
      const { runGrade } = await import('./grade-command');
      return runGrade(lab, attempts, format);
    }
    case 'serve': {
      const bad = allowOnly(parsed, ['--port', '--labs', '--data']);
      if (bad) return fail(bad);
      const { runServe } = await import('./serve-command');
      return runServe(parsed.flags);
    }
    case undefined:
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      return fail(`unknown command "${command}".`);
  }
}
