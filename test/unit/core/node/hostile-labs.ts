/**
 * Valid lab files a hostile or careless author could write to make a run huge: storms at the
 * largest loop limits, thousands of VMs on one network, long ping scripts, an objective per VM.
 * Every one must end cleanly, within its budgets (core/sim/budget.ts).
 */

const pad = (n: number): string => n.toString(16).padStart(2, '0');

/** The MAC of guest `i` (up to 65,535 guests). */
function macOf(i: number): string {
  return `02:00:00:01:${pad((i >> 8) & 0xff)}:${pad(i & 0xff)}`;
}

/** The address of guest `i` on 10.0.0.0/8 (from 10.0.0.1). */
function ipOf(i: number): string {
  const n = i + 1;
  return `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

function head(title: string, sim = ''): string[] {
  return [
    'nestlab: 1',
    `title: ${JSON.stringify(title)}`,
    'account: { promiscuousMode: enabled }',
    ...(sim === '' ? [] : [`sim: { ${sim} }`]),
    'networks:',
    '  - { id: front, subnet: 10.0.0.0/8 }',
    '  - { id: back, subnet: 10.0.0.0/8 }',
  ];
}

function guests(n: number, network = 'front'): string[] {
  const lines = ['vms:'];
  for (let i = 0; i < n; i++)
    lines.push(
      `  - { id: h${i}, adapters: [ { id: h${i}-nic, network: ${network}, mac: "${macOf(i)}", ip: ${ipOf(i)}/8 } ] }`,
    );
  return lines;
}

/**
 * `bridges` promiscuous bridges between the same two networks: every broadcast goes round, and
 * with three or more its copies multiply at every turn.
 */
function loop(bridges: number): string[] {
  return Array.from({ length: bridges }, (_, k) => `br${k + 1}`).flatMap((id, k) => [
    `  - id: ${id}`,
    '    role: bridge',
    '    adapters:',
    `      - { id: ${id}-a, network: front, mac: "02:00:00:0b:${pad(k)}:01", promiscuous: true }`,
    `      - { id: ${id}-b, network: back, mac: "02:00:00:0b:${pad(k)}:02", promiscuous: true }`,
  ]);
}

/** A storm lab at the given loop limits, sending `broadcasts` ARPs and pinging each time. */
export function stormLab(
  hopLimit: number,
  copyLimit: number,
  broadcasts: number,
  bridges = 4,
): string {
  const limits = `hopLimit: ${hopLimit}, copyLimit: ${copyLimit}`;
  const lines = [...head('storm', limits), ...guests(4), ...loop(bridges)];
  lines.push('traffic:');
  for (let i = 0; i < broadcasts; i++) {
    lines.push(
      `  - frame: { from: h0-nic, src: "${macOf(0)}", dst: "ff:ff:ff:ff:ff:ff", type: arp }`,
    );
    lines.push('  - ping: { from: h1, to: h2 }');
  }
  lines.push('objectives:');
  lines.push('  - { id: quiet, check: { noLoop: true } }');
  lines.push('  - { id: reach, check: { reachable: { from: h2, to: h3 } } }');
  lines.push('  - { id: seen, check: { captured: { at: br1, proto: arp } } }');
  return `${lines.join('\n')}\n`;
}

/** `n` guests on one network; the first `pingers` each ping the next `count` times. */
export function crowdLab(n: number, pingers: number, count: number): string {
  const lines = [...head(`${n} guests`), ...guests(n)];
  if (pingers > 0) lines.push('traffic:');
  for (let i = 0; i < pingers; i++)
    lines.push(`  - ping: { from: h${i}, to: ${ipOf((i + 1) % n)}, count: ${count} }`);
  lines.push('objectives:');
  lines.push(`  - { id: first, check: { reachable: { from: h0, to: h${n - 1} } } }`);
  return `${lines.join('\n')}\n`;
}

/** `n` guests, each with a reachability objective toward the next. */
export function objectiveLab(n: number): string {
  const lines = [...head(`${n} objectives`), ...guests(n), 'objectives:'];
  for (let i = 0; i < n; i++)
    lines.push(`  - { id: o${i}, check: { reachable: { from: h${i}, to: h${(i + 1) % n} } } }`);
  return `${lines.join('\n')}\n`;
}
