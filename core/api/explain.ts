/**
 * What a drop or warning of the trace means (semantics.md §3–4) and, where the lab can change
 * the outcome, the fix and the item to change. Pure: it reads the lab, and the trace of the
 * frame when the caller has it (which adapter sent it, to which MAC). Guarantees: every drop
 * code and warning reason has an explanation under its own rule; routine drops (D1, D2, D3)
 * say the network is working as it should and suggest no fix; an unknown code is refused.
 */
import type { Lab, RuleError, Vm } from '../model';
import { indexLab, ruleError } from '../model';
import type { DropReason, LoopReport, TraceEvent, WarnReason } from '../sim';
import type { RuleExplanation } from './contract';

export interface ExplainQuery {
  readonly reason: string;
  readonly rule: string;
  /** Where the trace says it happened. */
  readonly at: string;
}

export interface ExplainContext {
  readonly lab: Lab;
  /** The events of the frame copy it happened to, in order, when the caller knows the copy. */
  readonly frameEvents?: readonly TraceEvent[];
  /** The loops the simulator stopped (D4), to name a bridge of the cycle. */
  readonly loops?: readonly LoopReport[];
}

type FixAt = NonNullable<RuleExplanation['fixAt']>;
type Explainer = (q: ExplainQuery, ctx: ExplainContext) => Omit<RuleExplanation, 'rule' | 'title'>;

interface Entry {
  readonly rule: string;
  readonly title: string;
  readonly explain: Explainer;
}

const ROUTINE = 'This is the network working as it should; nothing needs fixing.';

const RULES: Readonly<Record<DropReason | WarnReason, Entry>> = {
  'vm-not-running': {
    rule: 'F1',
    title: 'A VM that is not running sends nothing',
    explain: (q, ctx) => ({
      text: `A VM that is not running sends and receives nothing; a nested VM runs only while its own state is running and its hypervisor runs. ${owner(ctx, q.at)} was not running when it tried to send.`,
      ...startFix(ctx, q.at),
    }),
  },
  'destination-not-running': {
    rule: 'F1',
    title: 'A VM that is not running receives nothing',
    explain: (q, ctx) => ({
      text: `A VM that is not running sends and receives nothing; a nested VM runs only while its own state is running and its hypervisor runs. The frame reached ${q.at}, but ${owner(ctx, q.at)} was not running to take it.`,
      ...startFix(ctx, q.at),
    }),
  },
  'adapter-disconnected': {
    rule: 'F1',
    title: 'Disconnected adapter',
    explain: (q) => ({
      text: `${q.at} is not attached to any network or switch, so what it sends goes nowhere.`,
      fix: `Connect ${q.at} to a network (a nested VM's adapter to a switch of its hypervisor, A7).`,
      fixAt: { kind: 'adapter', id: q.at },
    }),
  },
  'forged-source': {
    rule: 'F2',
    title: 'Forged source MAC',
    explain: (q, ctx) => forgedSource(q, ctx),
  },
  'mac-conflict': {
    rule: 'F3',
    title: 'Source MAC of another port',
    explain: (q, ctx) => {
      const sender = sendingAdapter(ctx, q.at);
      return {
        text: `A promiscuous adapter sent a frame whose source MAC is a static entry of another port of ${q.at} (an adapter's own MAC or the gateway's). The network forwards it but does not learn it there: frames for that MAC still go to its owner.`,
        fix: `Send from a MAC no adapter of the lab owns: MACs are unique in the environment (A6).`,
        ...(sender !== null ? { fixAt: { kind: 'adapter', id: sender } as FixAt } : {}),
      };
    },
  },
  'no-such-destination': {
    rule: 'F4',
    title: 'Unknown unicast is never flooded',
    explain: (q, ctx) => noSuchDestination(q, ctx),
  },
  'nic-filter': {
    rule: 'D1',
    title: 'Host NIC filter',
    explain: () => ({
      text: `A host accepts frames to its own MAC, to one of its virtual MACs, broadcast and multicast; it ignores anything else. This frame was for another MAC. ${ROUTINE}`,
    }),
  },
  'same-port-filter': {
    rule: 'D2',
    title: 'Learning switch: same-port filter',
    explain: (q) => ({
      text: `${q.at} is a learning switch: it learned the destination MAC on the very port the frame came in by, so the frame is already where it needs to be and is not sent back. ${ROUTINE}`,
    }),
  },
  'stp-blocked': {
    rule: 'D3',
    title: 'Spanning tree: blocked port',
    explain: (q) => ({
      text: `The bridges run a spanning tree (the lowest bridge id is root): ${q.at} blocks a redundant port so frames cannot go round a loop. ${ROUTINE}`,
    }),
  },
  'loop-detected': {
    rule: 'D4',
    title: 'Loop',
    explain: (q, ctx) => ({
      text: `Copies of one frame passed the hop or copy limit (${ctx.lab.sim.hopLimit} hops, ${ctx.lab.sim.copyLimit} copies), so the simulator stopped them: the frames were going round a loop of networks and bridges.`,
      ...loopFix(q, ctx),
    }),
  },
  'mac-flap': {
    rule: 'D4',
    title: 'MAC flapping',
    explain: (q, ctx) => ({
      text: `A learned MAC kept moving between ports of ${q.at} while copies of one frame ran: a sign of frames going round a loop.`,
      ...loopFix(q, ctx),
    }),
  },
  'ttl-exceeded': {
    rule: 'D5',
    title: 'TTL exceeded',
    explain: (q) => ({
      text: `A router decrements the TTL of every IPv4 packet it routes and drops the packet when it runs out. The packet reached ${q.at} with a TTL too small to go on.`,
      fix: 'Send the packet with a larger TTL (hosts use 64).',
    }),
  },
  'no-route': {
    rule: 'D5',
    title: 'No route',
    explain: (q, ctx) => noRoute(q, ctx),
  },
  'arp-timeout': {
    rule: 'D6',
    title: 'ARP timeout',
    explain: (q, ctx) => ({
      text: `Before sending, a host resolves the next hop (the on-link target or its gateway) by ARP broadcast. Nobody answered ${owner(ctx, q.at)}'s requests, so what it wanted to send is dropped.`,
      fix: 'Look at the earlier drops of this step: the request or the reply was dropped on the way, or the target does not exist or is not running.',
    }),
  },
};

export function explainRule(q: ExplainQuery, ctx: ExplainContext): RuleExplanation | RuleError {
  const entry = Object.hasOwn(RULES, q.reason) ? RULES[q.reason as keyof typeof RULES] : undefined;
  if (entry === undefined)
    return ruleError('invalid-request', 'P6', `"${q.reason}" is no drop or warning code.`);
  if (entry.rule !== q.rule)
    return ruleError(
      'invalid-request',
      'P6',
      `${q.reason} is decided by rule ${entry.rule}, not ${q.rule}.`,
    );
  return { rule: entry.rule, title: entry.title, ...entry.explain(q, ctx) };
}

/** The VM an adapter (or a host's interface, which has the adapter's id) belongs to. */
function owner(ctx: ExplainContext, at: string): string {
  return indexLab(ctx.lab).adapters.get(at)?.vm.id ?? at;
}

/** F1: start the VM, or its hypervisor first when that is what is stopped. */
function startFix(ctx: ExplainContext, at: string): Partial<RuleExplanation> {
  const index = indexLab(ctx.lab);
  const vm = index.adapters.get(at)?.vm ?? index.vms.get(at)?.vm;
  if (vm === undefined) return {};
  const stopped: Vm[] = [];
  for (let entry = index.vms.get(vm.id); entry;) {
    if (entry.vm.power !== 'running') stopped.push(entry.vm);
    entry = entry.parent ? index.vms.get(entry.parent.id) : undefined;
  }
  const first = stopped.at(-1);
  if (first === undefined)
    return { fix: `${vm.id} is running now: send the traffic again to see the new outcome.` };
  const more = stopped.length > 1 ? `, then ${vm.id}` : '';
  return { fix: `Start ${first.id}${more}.`, fixAt: { kind: 'vm', id: first.id } };
}

/**
 * The adapter that put the frame on `network`: its `transmit` in the frame's events, else the
 * one adapter of the network that carries other VMs' MACs (a bridge's, a nested switch's
 * uplink, a VM with virtual MACs), preferring those that are not promiscuous.
 */
function sendingAdapter(ctx: ExplainContext, network: string): string | null {
  const sent = ctx.frameEvents?.findLast((e) => e.type === 'transmit');
  if (sent !== undefined) return sent.at;
  const all = carriers(ctx.lab, network);
  const closed = all.filter((a) => !a.promiscuous);
  const candidates = closed.length > 0 ? closed : all;
  return candidates.length === 1 ? (candidates[0]?.id ?? null) : null;
}

/** Adapters on `network` that carry foreign source MACs by design (D2, D3, D6 virtual MACs). */
function carriers(lab: Lab, network: string): { id: string; promiscuous: boolean }[] {
  const index = indexLab(lab);
  const uplinks = new Set([...index.switches.values()].flatMap(({ sw }) => sw.uplink ?? []));
  return [...index.adapters.values()]
    .filter(({ adapter }) => adapter.network === network)
    .filter(
      ({ adapter, vm }) =>
        uplinks.has(adapter.id) || vm.role === 'bridge' || vm.virtualMacs.length > 0,
    )
    .map(({ adapter }) => ({ id: adapter.id, promiscuous: adapter.promiscuous }));
}

function forgedSource(
  q: ExplainQuery,
  ctx: ExplainContext,
): Omit<RuleExplanation, 'rule' | 'title'> {
  const text = `A network drops a frame whose source MAC is not the sending adapter's own MAC, unless that adapter has promiscuous mode: promiscuous mode is what lets an adapter transmit with a forged MAC. Frames of nested VMs leaving by a hypervisor's uplink, and frames a bridge passes on, carry other VMs' MACs, so those adapters need it.`;
  const adapter = sendingAdapter(ctx, q.at);
  const howTo = `its owner needs the account feature and the promiscuous permission (P1–P5), and the VM must be stopped first (A2)`;
  if (adapter === null)
    return {
      text,
      fix: `Enable promiscuous mode on the adapter of ${q.at} that sent the frame: ${howTo}.`,
    };
  const entry = indexLab(ctx.lab).adapters.get(adapter);
  if (entry?.adapter.promiscuous === true)
    return {
      text,
      fix: `${adapter} is promiscuous now: send the traffic again to see the new outcome.`,
      fixAt: { kind: 'adapter', id: adapter },
    };
  return {
    text,
    fix: `Enable promiscuous mode on ${adapter}, the adapter that sent it (${entry?.vm.id ?? 'its VM'}): ${howTo}.`,
    fixAt: { kind: 'adapter', id: adapter },
  };
}

function noSuchDestination(
  q: ExplainQuery,
  ctx: ExplainContext,
): Omit<RuleExplanation, 'rule' | 'title'> {
  const text = `A unicast frame goes only to the one port of ${q.at} that owns its destination MAC (an adapter's own MAC, the gateway's) or actively uses it (a MAC learned from a promiscuous adapter). No port did, and unknown unicast is never flooded. This is also why promiscuous mode does not let a VM sniff other VMs' traffic (F5).`;
  const dst = ctx.frameEvents?.find((e) => e.dst !== undefined)?.dst;
  if (dst === undefined)
    return {
      text,
      fix: 'Check the destination MAC. If it belongs to a nested VM or to a VM behind a bridge, the adapter that carries it onto this network must be promiscuous and must have sent a frame from that MAC, so the network learns it (F3).',
    };
  const index = indexLab(ctx.lab);
  const target = [...index.adapters.values()].find(({ adapter }) => adapter.mac === dst);
  const uplink =
    target?.adapter.switch !== undefined
      ? index.switches.get(target.adapter.switch)?.sw.uplink
      : undefined;
  if (uplink !== undefined)
    return {
      text,
      fix: `${dst} is ${target?.vm.id}'s, a nested VM: ${q.at} learns it only from a promiscuous uplink. Enable promiscuous mode on ${uplink} and let ${target?.vm.id} send first.`,
      fixAt: { kind: 'adapter', id: uplink },
    };
  const virtual = [...index.vms.values()].find(({ vm }) => vm.virtualMacs.includes(dst));
  if (virtual !== undefined)
    return {
      text,
      fix: `${dst} is a virtual MAC of ${virtual.vm.id}: the network learns it when ${virtual.vm.id} sends a gratuitous ARP from it through a promiscuous adapter (D6, F3).`,
      fixAt: { kind: 'vm', id: virtual.vm.id },
    };
  if (target === undefined)
    return { text, fix: `No adapter of the lab has the MAC ${dst}: check the destination.` };
  return {
    text,
    fix: `${dst} is ${target.adapter.id}'s, which is not on ${q.at}: a frame reaches it from here only through a bridge whose adapter on ${q.at} is promiscuous and has learned it (D3, F3), or by routing through a gateway.`,
  };
}

function noRoute(q: ExplainQuery, ctx: ExplainContext): Omit<RuleExplanation, 'rule' | 'title'> {
  if (q.at.endsWith(':gateway')) {
    const hosts = ctx.lab.external.map((h) => `${h.id} (${h.ip})`).join(', ');
    return {
      text: `A gateway routes IPv4 to the lab's external hosts ("the Internet") and back; an address that is no external host has no route.`,
      fix:
        hosts === ''
          ? 'The lab has no external hosts: add one with that address.'
          : `Send to an external host of the lab (${hosts}), or add one with that address.`,
    };
  }
  const text = `A host sends off-link packets to a gateway: its network's, or its adapter's own. ${owner(ctx, q.at)} has no gateway for that address, so it drops the packet.`;
  const entry = indexLab(ctx.lab).adapters.get(q.at);
  const network = entry?.adapter.network;
  if (network !== undefined)
    return {
      text,
      fix: `Give ${network} a gateway, or ${q.at} its own gateway (D5).`,
      fixAt: { kind: 'network', id: network },
    };
  if (entry !== undefined)
    return {
      text,
      fix: `A nested VM uses the gateway of the network its switch's uplink is on: give that network a gateway, or ${q.at} its own.`,
      fixAt: { kind: 'adapter', id: q.at },
    };
  return { text };
}

/** D4: name a bridge of the cycle (without STP first) as the thing to change. */
function loopFix(q: ExplainQuery, ctx: ExplainContext): Partial<RuleExplanation> {
  const fix =
    'Remove a bridge from the cycle (disconnect one of its adapters), or enable STP on the bridges so a redundant port is blocked (D3).';
  const index = indexLab(ctx.lab);
  const report = ctx.loops?.find((l) => l.at === q.at || l.cycle.includes(q.at));
  const around = report?.cycle ?? [q.at];
  const bridges = around
    .map((id) => index.vms.get(id)?.vm)
    .filter((vm): vm is Vm => vm?.role === 'bridge');
  const onNetwork = [...index.adapters.values()]
    .filter(({ adapter, vm }) => adapter.network === q.at && vm.role === 'bridge')
    .map(({ vm }) => vm);
  const candidates = bridges.length > 0 ? bridges : onNetwork;
  const bridge = candidates.find((vm) => !vm.stp) ?? candidates[0];
  return bridge === undefined ? { fix } : { fix, fixAt: { kind: 'vm', id: bridge.id } };
}
