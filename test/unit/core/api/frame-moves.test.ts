import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameMoves, frameTable, trafficFrames } from '../../../../core/api/frame-moves';
import type { FrameMove } from '../../../../core/api';
import { parseLab } from '../../../../core/lab/parse';
import { runStep } from '../../../../core/lab/run';
import { allVms, indexLab, type Lab, type TrafficStep } from '../../../../core/model';
import { Simulation, type FrameLineage, type TraceEvent } from '../../../../core/sim';
import { Packet } from '../../../../core/sim/packet';

const LABS_DIR = new URL('../../../../labs/', import.meta.url);

function loadLab(fileName: string): Lab {
  const parsed = parseLab(readFileSync(new URL(fileName, LABS_DIR), 'utf8'));
  if (!parsed.ok) throw new Error(`${fileName}: ${parsed.violations[0]?.message}`);
  return parsed.lab;
}

const LAB_FILES = readdirSync(LABS_DIR).filter((f) => /^e\d.*\.lab\.yaml$/.test(f));

type EventSpec = [number, TraceEvent['type'], number, string, string?];

/** Events of one step, in order: [t, type, frame, at, reason?]; origin 1, proto arp. */
function events(...specs: EventSpec[]): TraceEvent[] {
  return specs.map(([t, type, frame, at, reason]) => ({
    t,
    type,
    frame,
    origin: 1,
    at,
    proto: 'arp',
    ...(reason !== undefined ? { reason: reason as TraceEvent['reason'] } : {}),
  }));
}

function hops(moves: readonly FrameMove[]): string[] {
  return moves.map((m) => `${m.frame}: ${m.from}→${m.to} [${m.t0},${m.t1}] #${m.event}`);
}

/** E4's first request with frame 2 made by `front` from frame 1, frame 3 by `bridge` from 2. */
const E4_TRACE = events(
  [0, 'transmit', 1, 'client-nic0'],
  [2, 'forward', 1, 'front'],
  [5, 'deliver', 2, 'br-front'],
  [5, 'capture', 2, 'bridge'],
  [5, 'forward', 2, 'bridge'],
  [8, 'transmit', 3, 'br-back'],
  [10, 'drop', 3, 'back', 'forged-source'],
);
const E4_PARENTS = new Map([
  [2, 1],
  [3, 2],
]);

describe('frame moves', () => {
  it('one move per hop; a copy starts where its parent last was (E4 inline bridge)', () => {
    const moves = frameMoves([{ events: E4_TRACE }], (f) => E4_PARENTS.get(f));
    expect(hops(moves)).toEqual([
      '1: client-nic0→front [0,2] #1',
      '2: front→br-front [2,5] #2',
      '2: br-front→bridge [5,5] #4',
      '3: bridge→br-back [5,8] #5',
      '3: br-back→back [8,10] #6',
    ]);
    expect(moves[0]).toMatchObject({ step: 0, origin: 1, proto: 'arp' });
  });

  it('capture, learn, mac-move and warn events and an ARP timeout (D6) move nothing', () => {
    const trace = events(
      [0, 'transmit', 1, 'web1-nic0'],
      [5, 'forward', 1, 'esxi-vsw0'],
      [8, 'learn', 1, 'lan'],
      [8, 'warn', 1, 'lan', 'mac-conflict'],
      [9, 'capture', 1, 'br'],
      [3_000_000, 'drop', 1, 'web1-nic0', 'arp-timeout'],
    );
    expect(hops(frameMoves([{ events: trace }], () => undefined))).toEqual([
      '1: web1-nic0→esxi-vsw0 [0,5] #1',
    ]);
  });

  it('collapses events at one place and leaves it at the last one', () => {
    const trace = events(
      [0, 'transmit', 1, 'client-nic0'],
      [2, 'forward', 1, 'lan'],
      [5, 'deliver', 2, 'lan:gateway'],
      [5, 'forward', 2, 'lan:gateway'],
      [5005, 'deliver', 3, 'web'],
    );
    const parents = new Map([
      [2, 1],
      [3, 2],
    ]);
    expect(hops(frameMoves([{ events: trace }], (f) => parents.get(f)))).toEqual([
      '1: client-nic0→lan [0,2] #1',
      '2: lan→lan:gateway [2,5] #2',
      '3: lan:gateway→web [5,5005] #4',
    ]);
  });

  it('a copy whose parent left no event starts from its nearest recorded ancestor', () => {
    const trace = events([0, 'transmit', 1, 'a'], [3, 'deliver', 3, 'c']);
    const parents = new Map([
      [3, 2],
      [2, 1],
    ]);
    expect(hops(frameMoves([{ events: trace }], (f) => parents.get(f)))).toEqual([
      '3: a→c [0,3] #1',
    ]);
    // A copy with no recorded ancestor and a cyclic lineage start without a move.
    expect(frameMoves([{ events: trace }], () => 3)).toEqual([]);
  });

  it('sorts moves by t0, then by the order they arrived, and numbers events per step', () => {
    const first = events([0, 'transmit', 1, 'a'], [9, 'forward', 1, 'n']);
    const second = events([3, 'transmit', 2, 'b'], [4, 'forward', 2, 'n']);
    const moves = frameMoves([{ events: first }, { events: second }], () => undefined);
    expect(moves.map((m) => [m.step, m.frame, m.t0, m.event])).toEqual([
      [0, 1, 0, 1],
      [1, 2, 3, 1],
    ]);
  });

  it('lists each named copy once, with its parent and the index of its distinct bytes', () => {
    const a = new Packet(new Uint8Array(60).fill(0xab));
    const b = new Packet(new Uint8Array(60).fill(0x0c));
    const lineage = new Map<number, FrameLineage>([
      [1, { parent: null, packet: a }],
      [2, { parent: 1, packet: a }],
      [3, { parent: 2, packet: b }],
    ]);
    const trace = events([0, 'transmit', 1, 'x'], [1, 'deliver', 2, 'y'], [2, 'drop', 3, 'z']);
    const { frames, packets } = frameTable([{ events: trace }], lineage);
    expect(frames).toEqual([
      { frame: 1, origin: 1, packet: 0 },
      { frame: 2, origin: 1, parent: 1, packet: 0 },
      { frame: 3, origin: 1, parent: 2, packet: 1 },
    ]);
    expect(packets).toEqual(['ab'.repeat(60), '0c'.repeat(60)]);
  });
});

/** Which places of a lab are one hop apart: the links a frame can cross. */
function linksOf(lab: Lab): { places: Set<string>; links: Set<string> } {
  const index = indexLab(lab);
  const places = new Set<string>();
  const links = new Set<string>();
  const link = (a: string, b: string): void => {
    places.add(a);
    places.add(b);
    links.add(`${a}|${b}`);
    links.add(`${b}|${a}`);
  };
  for (const n of lab.networks) {
    places.add(n.id);
    if (n.gateway !== undefined) {
      link(n.id, `${n.id}:gateway`);
      for (const h of lab.external) link(`${n.id}:gateway`, h.id);
    }
  }
  for (const { adapter, vm } of index.adapters.values()) {
    places.add(adapter.id);
    if (adapter.network !== undefined) link(adapter.id, adapter.network);
    if (adapter.switch !== undefined) link(adapter.id, adapter.switch);
    if (vm.role === 'bridge') link(adapter.id, vm.id);
  }
  // D2: the uplink, and the hypervisor's own host port (which the trace names by the uplink).
  for (const { sw } of index.switches.values()) if (sw.uplink) link(sw.id, sw.uplink);
  return { places, links };
}

interface Run {
  readonly steps: { events: readonly TraceEvent[] }[];
  readonly lineage: Map<number, FrameLineage>;
}

function runSteps(lab: Lab, steps: readonly TrafficStep[]): Run {
  let current = lab;
  const sim = new Simulation(lab, { limits: { maxEvents: 200_000 } });
  const out: { events: readonly TraceEvent[] }[] = [];
  for (const step of steps) {
    const outcome = runStep(current, sim, step);
    if (outcome.lab !== current) {
      current = outcome.lab;
      sim.setLab(current);
    }
    out.push({ events: outcome.report.events });
  }
  const named = new Set(out.flatMap((s) => s.events.map((e) => e.frame)));
  return { steps: out, lineage: sim.takeLineage(named) };
}

/** Every host pings every address of the lab: the script first, then a mesh of pings. */
function meshSteps(lab: Lab): TrafficStep[] {
  const hosts = allVms(lab).filter((vm) => vm.role === 'host' && vm.adapters.some((a) => a.ip));
  const targets = hosts.flatMap((vm) => vm.adapters.flatMap((a) => a.ip?.split('/')[0] ?? []));
  const gateways = lab.networks.flatMap((n) => n.gateway ?? []);
  const external = lab.external.map((h) => h.ip);
  const pings = hosts.flatMap((vm) =>
    [...targets, ...gateways, ...external]
      .slice(0, 6)
      .map((to): TrafficStep => ({ kind: 'ping', from: vm.id, to, count: 1 })),
  );
  return [...lab.traffic, ...pings];
}

function checkMoves(lab: Lab, run: Run): void {
  const { places, links } = linksOf(lab);
  const { frames, moves } = trafficFrames(run.steps, run.lineage);
  const visited = new Map<number, Set<string>>();
  for (const { events } of run.steps)
    for (const e of events) {
      const set = visited.get(e.frame) ?? new Set();
      set.add(e.at);
      visited.set(e.frame, set);
    }
  expect(moves.length).toBeGreaterThan(0);
  expect(frames.length).toBe(visited.size);
  for (const m of moves) {
    expect(places.has(m.from) && places.has(m.to), `${m.from}→${m.to}`).toBe(true);
    expect(links.has(`${m.from}|${m.to}`), `${m.from}→${m.to} are one hop apart`).toBe(true);
    expect(m.t1).toBeGreaterThanOrEqual(m.t0);
    expect(run.steps[m.step]?.events[m.event]).toMatchObject({ frame: m.frame, at: m.to });
  }
  for (let i = 1; i < moves.length; i++)
    expect((moves[i] as FrameMove).t0).toBeGreaterThanOrEqual((moves[i - 1] as FrameMove).t0);
  // Each non-origin copy's first move starts at a place its parent visited.
  const firstMove = new Map<number, FrameMove>();
  for (const m of moves) if (!firstMove.has(m.frame)) firstMove.set(m.frame, m);
  for (const f of frames) {
    const first = firstMove.get(f.frame);
    if (f.parent === undefined || first === undefined) continue;
    const own = visited.get(f.frame) ?? new Set();
    if (own.has(first.from)) continue; // it moved on from its own first place
    expect(visited.get(f.parent)?.has(first.from), `frame ${f.frame} from ${first.from}`).toBe(
      true,
    );
  }
}

/** The lab with `promiscuous` on every adapter in `on` (and off elsewhere); a what-if, no rules. */
function withPromiscuous(lab: Lab, on: ReadonlySet<string>): Lab {
  const visit = (vm: Lab['vms'][number]): Lab['vms'][number] => ({
    ...vm,
    adapters: vm.adapters.map((a) => ({ ...a, promiscuous: on.has(a.id) })),
    nested: vm.nested.map(visit),
  });
  return {
    ...lab,
    account: { ...lab.account, promiscuousMode: 'enabled' },
    vms: lab.vms.map(visit),
  };
}

describe('frame moves on the example labs (E1–E7)', () => {
  it('has labs E1 to E7 to check', () => {
    expect(LAB_FILES).toHaveLength(7);
  });

  for (const file of LAB_FILES) {
    it(`${file}: moves join places one hop apart, and copies start where their parent was`, () => {
      const lab = loadLab(file);
      checkMoves(lab, runSteps(lab, meshSteps(lab)));
      const every = new Set([...indexLab(lab).adapters.keys()]);
      const open = withPromiscuous(lab, every);
      checkMoves(open, runSteps(open, meshSteps(open)));
    });
  }

  it('property: the same holds with any adapters promiscuous', () => {
    const labs = LAB_FILES.map(loadLab);
    const arb = fc
      .integer({ min: 0, max: labs.length - 1 })
      .chain((i) =>
        fc.tuple(fc.constant(i), fc.subarray([...indexLab(labs[i] as Lab).adapters.keys()])),
      );
    fc.assert(
      fc.property(arb, ([i, on]) => {
        const lab = withPromiscuous(labs[i] as Lab, new Set(on));
        checkMoves(lab, runSteps(lab, meshSteps(lab)));
      }),
      { numRuns: 40 },
    );
  });
});
