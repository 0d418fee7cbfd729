/**
 * What-if comparison: the traffic a student sent, replayed on two fresh simulators, one on the
 * lab as it is and one with one setting changed, and the frames whose fate differs. A what-if
 * is not an edit: the change is made to the lab data directly, so no permission or power rule
 * (P2–P5, A2) stops it; a change that would make the lab break a static rule (semantics.md §2,
 * "Static validity") is refused, naming the rule. Pure and deterministic: the same lab, steps
 * and change give the same differences.
 */
import type { Lab, RuleCode, RuleError, TrafficStep, ViolationCode } from '../model';
import { ruleError } from '../model';
import { validateLab } from '../lab/validate';
import { runSteps } from '../lab/run';
import { draftOf, findAdapter, findVm } from '../rules/draft';
import { Simulation, type Interrupt, type RunNotice, type TraceEvent } from '../sim';
import type { CompareResult, FateDifference, FrameFate, WhatIfChange } from './contract';

/** The lab with the change made, or why it cannot be. */
export function applyWhatIf(lab: Lab, change: WhatIfChange): { ok: true; lab: Lab } | RuleError {
  const draft = draftOf(lab);
  if ('adapter' in change) {
    const found = findAdapter(draft, change.adapter);
    if (!found) return ruleError('not-found', 'P6', `There is no adapter "${change.adapter}".`);
    found.adapter.promiscuous = change.promiscuous;
  } else {
    const slot = findVm(draft, change.vm);
    if (!slot) return ruleError('not-found', 'P6', `There is no VM "${change.vm}".`);
    if ('power' in change) slot.vm.power = change.power;
    else slot.vm.stp = change.stp;
  }
  const changed = draft as Lab;
  const known = new Set(validateLab(lab).map(violationKey));
  const added = validateLab(changed).find(
    (v) => v.severity === 'error' && !known.has(violationKey(v)),
  );
  if (added !== undefined) {
    return {
      ok: false,
      code: asRuleCode(added.code),
      rule: added.rule,
      message: `${describeChange(lab, change)} would break a rule: ${added.message}`,
    };
  }
  return { ok: true, lab: changed };
}

/** The rule codes a static check reports (semantics.md §2); a format problem is a bad request. */
const STATIC_RULE_CODES: ReadonlySet<ViolationCode> = new Set<RuleCode>([
  'feature-disabled',
  'one-per-network',
  'unsupported-architecture',
  'nested-virtualization-required',
  'duplicate-mac',
  'duplicate-id',
  'invalid-address',
  'not-found',
]);

function asRuleCode(code: ViolationCode): RuleCode {
  return STATIC_RULE_CODES.has(code) ? (code as RuleCode) : 'invalid-request';
}

function violationKey(v: { code: string; path: string; message: string }): string {
  return `${v.code}\u0000${v.path}\u0000${v.message}`;
}

/** The change in one plain sentence: "esxi-nic0 promiscuous on (it is off)". */
export function describeChange(lab: Lab, change: WhatIfChange): string {
  const onOff = (value: boolean): string => (value ? 'on' : 'off');
  const draft = draftOf(lab);
  if ('adapter' in change) {
    const now = findAdapter(draft, change.adapter)?.adapter.promiscuous;
    const was = now === undefined ? '' : sameOrWas(now === change.promiscuous, onOff(now));
    return `${change.adapter} promiscuous ${onOff(change.promiscuous)}${was}`;
  }
  const vm = findVm(draft, change.vm)?.vm;
  if ('power' in change) {
    const was = vm === undefined ? '' : sameOrWas(vm.power === change.power, vm.power);
    return `${change.vm} ${change.power}${was}`;
  }
  const was = vm === undefined ? '' : sameOrWas(vm.stp === change.stp, onOff(vm.stp));
  return `${change.vm} STP ${onOff(change.stp)}${was}`;
}

function sameOrWas(same: boolean, now: string): string {
  return same ? ' (it already is)' : ` (it is ${now})`;
}

/** Steps that send or wait; `set`, `power` and the account steps only edit the lab. */
function sendsTraffic(step: TrafficStep): boolean {
  return step.kind === 'ping' || step.kind === 'frame' || step.kind === 'garp';
}

interface ReplayedStep {
  readonly summary: string;
  readonly events: readonly TraceEvent[];
  /** Each origin's protocol and MACs, from its bytes (a copy dropped at once has no src/dst event). */
  readonly heads: ReadonlyMap<number, FrameHead>;
}

interface FrameHead {
  readonly proto: TraceEvent['proto'];
  readonly src: string;
  readonly dst: string;
}

/**
 * Runs the steps on a fresh simulator, edits through the rules as `nestlab run` does, as one
 * run within its budget (core/sim/budget.ts): what a budget cut is in the notices, and a
 * comparison says so rather than call frames it never saw the same.
 */
export function replay(
  lab: Lab,
  steps: readonly TrafficStep[],
  interrupt?: Interrupt,
): { steps: ReplayedStep[]; notices: RunNotice[] } {
  const sim = new Simulation(lab, interrupt === undefined ? {} : { interrupt });
  const replayed: ReplayedStep[] = [];
  runSteps(
    lab,
    sim,
    steps.map((step, i) => [i, step] as const),
    (report) => {
      const lineage = sim.takeLineage(new Set(report.events.map((e) => e.origin)));
      const heads = new Map<number, FrameHead>();
      for (const [frame, { packet }] of lineage) {
        heads.set(frame, { proto: packet.proto, src: packet.srcText, dst: packet.dstText });
      }
      replayed.push({ summary: report.summary, events: report.events, heads });
    },
  );
  return { steps: replayed, notices: sim.notices() };
}

/** The steps replayed on the lab and on the lab with `change`; the frames whose fate differs. */
export function compareTraffic(
  lab: Lab,
  steps: readonly TrafficStep[],
  change: WhatIfChange,
  interrupt?: Interrupt,
): CompareResult {
  const changed = applyWhatIf(lab, change);
  if (!changed.ok) return changed;
  const sentence = describeChange(lab, change);
  if (!steps.some(sendsTraffic))
    return { ok: true, change: sentence, steps: 0, differences: [], notices: [] };
  const before = replay(lab, steps, interrupt);
  const after = replay(changed.lab, steps, interrupt);
  const differences = before.steps.flatMap((b, i) => stepDifferences(i, b, after.steps[i]));
  const notices = [
    ...before.notices,
    ...after.notices.filter((n) => !sameNotice(n, before.notices)),
  ];
  return { ok: true, change: sentence, steps: steps.length, differences, notices };
}

function sameNotice(notice: RunNotice, among: readonly RunNotice[]): boolean {
  return among.some((n) => n.budget === notice.budget && n.step === notice.step);
}

/** One frame a host, gateway or step sent, and what became of all its copies. */
interface OriginFate {
  readonly origin: number;
  /** When its first event happened. */
  readonly t: number;
  readonly fate: FrameFate;
}

function stepDifferences(
  step: number,
  before: ReplayedStep,
  after: ReplayedStep | undefined,
): FateDifference[] {
  const pairs = pairOrigins(before, after);
  return pairs
    .filter(({ b, a }) => b === undefined || a === undefined || !sameFate(b.fate, a.fate))
    .map(({ head, b, a }) => ({
      step,
      stepSummary: before.summary,
      ...head,
      ...(b !== undefined ? { before: b.fate } : {}),
      ...(a !== undefined ? { after: a.fate } : {}),
    }));
}

interface OriginPair {
  readonly head: FrameHead;
  readonly b?: OriginFate;
  readonly a?: OriginFate;
  /** When the frame was first sent, on the side that sent it first. */
  readonly t: number;
}

/**
 * Pairs the origins of one step by their order within the step, among frames alike (same
 * protocol and MACs): the n-th ARP request web1 broadcast in one run with the n-th in the
 * other, so a frame sent on one side only (the reply that now comes back) stands alone
 * instead of shifting every pair after it. Pairs come in the order the frames were sent.
 */
function pairOrigins(before: ReplayedStep, after: ReplayedStep | undefined): OriginPair[] {
  const headOf = (side: ReplayedStep, origin: number): FrameHead =>
    side.heads.get(origin) ?? UNKNOWN_HEAD;
  const keyOf = (head: FrameHead): string => `${head.proto} ${head.src} ${head.dst}`;
  const pending = new Map<string, OriginFate[]>();
  const right = after === undefined ? [] : originFates(after.events);
  for (const fate of right) {
    const key = keyOf(headOf(after as ReplayedStep, fate.origin));
    pending.set(key, [...(pending.get(key) ?? []), fate]);
  }
  const pairs: OriginPair[] = [];
  for (const b of originFates(before.events)) {
    const head = headOf(before, b.origin);
    const a = pending.get(keyOf(head))?.shift();
    pairs.push({ head, b, t: Math.min(b.t, a?.t ?? Infinity), ...(a ? { a } : {}) });
  }
  for (const rest of pending.values())
    for (const a of rest) pairs.push({ head: headOf(after as ReplayedStep, a.origin), a, t: a.t });
  // Stable: equal times keep the "as it is" side's order.
  return pairs.sort((x, y) => x.t - y.t);
}

const UNKNOWN_HEAD: FrameHead = { proto: 'other', src: '', dst: '' };

/** Events that leave a copy where it is. */
function inPlace(event: TraceEvent): boolean {
  return (
    event.type === 'capture' ||
    event.type === 'learn' ||
    event.type === 'mac-move' ||
    event.type === 'warn'
  );
}

type Drop = FrameFate['dropped'][number];

/**
 * The fate of each origin of a step, in the order the origins first appear. A copy is
 * delivered where its last moving event is a `deliver` (an adapter that hands a frame on to
 * its switch or bridge is not an end); each drop is listed once per place, reason and rule.
 * Both lists are sorted, so two fates compare as values.
 */
export function originFates(events: readonly TraceEvent[]): OriginFate[] {
  const lastMove = new Map<number, TraceEvent>();
  for (const e of events) if (!inPlace(e)) lastMove.set(e.frame, e);
  const fates = new Map<
    number,
    { t: number; delivered: Set<string>; dropped: Map<string, Drop> }
  >();
  for (const e of events) {
    let fate = fates.get(e.origin);
    if (fate === undefined) {
      fate = { t: e.t, delivered: new Set(), dropped: new Map() };
      fates.set(e.origin, fate);
    }
    if (e.type === 'deliver' && lastMove.get(e.frame) === e) fate.delivered.add(e.at);
    if (e.type === 'drop' && e.reason !== undefined && e.rule !== undefined) {
      const drop = { at: e.at, reason: e.reason, rule: e.rule };
      fate.dropped.set(dropKey(drop), drop);
    }
  }
  return [...fates].map(([origin, { t, delivered, dropped }]) => ({
    origin,
    t,
    fate: {
      delivered: [...delivered].sort(),
      dropped: [...dropped.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, d]) => d),
    },
  }));
}

function dropKey(drop: Drop): string {
  return `${drop.at}\u0000${drop.reason}\u0000${drop.rule}`;
}

function sameFate(a: FrameFate, b: FrameFate): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
