/**
 * The labs of the "time to a verdict" benchmark, as YAML text byte for byte identical to what
 * the namespace comparison writes (`netns_lab.py gen DIR 10 50 200`), so Nestlab and the Linux
 * emulation grade the same files. e4: E4's topology with the inline bridge's adapters
 * promiscuous and one `reachable` objective. nN: N hosts on net0, bridge br1 (net0–net1),
 * bridge br2 (net1–net2), a server on net2, one `reachable` objective per host, so every ping
 * crosses both bridges. Deterministic: the same size gives the same text.
 */

export interface VerdictLab {
  /** `e4` or `n<size>`, also the file's base name (`n200.lab.yaml`). */
  readonly name: string;
  readonly text: string;
  readonly objectives: number;
}

/** The labs' hosts share one /24 with the server at .254. */
export const MAX_HOSTS = 250;

function header(title: string, description: string): string {
  return [
    'nestlab: 1',
    `title: "${title}"`,
    'description: |',
    `  ${description}`,
    'profile: skytap',
    'account:',
    '  promiscuousMode: enabled',
    '',
  ].join('\n');
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** E4 as shipped, fixed: a Linux bridge has no forged-source rule (F2), so both sides say "reachable". */
export function e4Lab(): VerdictLab {
  const text =
    header(
      'perf e4: client pings server through an inline bridge',
      "E4's topology, fixed (bridge adapters promiscuous); one reachability verdict.",
    ) +
    `networks:
  - { id: front, name: Front, subnet: 10.0.0.0/24 }
  - { id: back, name: Back, subnet: 10.0.0.0/24 }
vms:
  - id: client
    adapters:
      - { id: client-nic0, network: front, mac: "02:00:00:00:00:21", ip: 10.0.0.21/24 }
  - id: server
    adapters:
      - { id: server-nic0, network: back, mac: "02:00:00:00:00:22", ip: 10.0.0.22/24 }
  - id: bridge
    name: Inline bridge
    role: bridge
    adapters:
      - { id: br-front, network: front, mac: "02:00:00:00:0b:01", promiscuous: true }
      - { id: br-back, network: back, mac: "02:00:00:00:0b:02", promiscuous: true }
objectives:
  - id: reach
    text: client can ping server through the bridge
    check: { reachable: { from: client, to: 10.0.0.22 } }
`;
  return { name: 'e4', text, objectives: 1 };
}

/** N hosts behind a chain of two inline bridges from the server (1 ≤ N ≤ 250). */
export function scaledLab(hosts: number): VerdictLab {
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_HOSTS)
    throw new RangeError(`size ${hosts}: 1..${MAX_HOSTS} hosts fit the /24 these labs use`);
  const out = [
    header(
      `perf n${hosts}: ${hosts} hosts reach a server through a chain of two bridges`,
      `${hosts} hosts on net0, bridges br1 (net0-net1) and br2 (net1-net2), server on net2.`,
    ),
    'networks:\n',
  ];
  for (let i = 0; i < 3; i++) out.push(`  - { id: net${i}, subnet: 10.0.0.0/24 }\n`);
  out.push('vms:\n');
  for (let k = 1; k <= hosts; k++) {
    const mac = `02:00:00:00:${hex2(k >> 8)}:${hex2(k & 255)}`;
    out.push(`  - id: h${k}\n    adapters:\n`);
    out.push(`      - { id: h${k}-nic0, network: net0, mac: "${mac}", ip: 10.0.0.${k}/24 }\n`);
  }
  out.push('  - id: server\n    adapters:\n');
  out.push(
    '      - { id: server-nic0, network: net2, mac: "02:00:00:00:0a:fe", ip: 10.0.0.254/24 }\n',
  );
  for (const b of [1, 2]) {
    out.push(`  - id: br${b}\n    role: bridge\n    adapters:\n`);
    out.push(
      `      - { id: br${b}-a, network: net${b - 1}, mac: "02:00:00:00:0b:${b}1", promiscuous: true }\n`,
    );
    out.push(
      `      - { id: br${b}-b, network: net${b}, mac: "02:00:00:00:0b:${b}2", promiscuous: true }\n`,
    );
  }
  out.push('objectives:\n');
  for (let k = 1; k <= hosts; k++)
    out.push(`  - { id: reach-h${k}, check: { reachable: { from: h${k}, to: 10.0.0.254 } } }\n`);
  return { name: `n${hosts}`, text: out.join(''), objectives: hosts };
}

/** The lab called `name` (`e4` or `n<size>`). */
export function verdictLab(name: string): VerdictLab {
  if (name === 'e4') return e4Lab();
  const size = /^n(\d+)$/.exec(name)?.[1];
  if (size === undefined) throw new RangeError(`unknown verdict lab ${name} (e4 or n<size>)`);
  return scaledLab(Number(size));
}

/** The benchmark's labs in the order it runs them: e4, then each size. */
export function verdictLabs(sizes: readonly number[]): VerdictLab[] {
  return [e4Lab(), ...sizes.map(scaledLab)];
}
