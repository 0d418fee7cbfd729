/**
 * D3 spanning tree, computed from the topology rather than by exchanging BPDUs: the converged
 * state of IEEE 802.1D over the bridges with `stp: true` (running ones) and the segments their
 * adapters attach to. The bridge with the lowest id (the VM id, compared as text) is the root of
 * its component; every path costs 1 per segment crossed; a segment's designated port is the one
 * with the best (root, cost, bridge id, port id), a bridge's root port the one that hears the best
 * such vector from another bridge. Every other port is blocked. Bridges without STP take no part
 * (they neither send nor forward BPDUs in this model). Guarantees: deterministic, and the
 * forwarding ports of the participating bridges form no cycle.
 */

export interface StpPort {
  readonly index: number;
  readonly id: string;
  /** The network or nested switch the port's adapter attaches to. */
  readonly segment: object;
}

export interface StpBridge {
  readonly id: string;
  readonly ports: readonly StpPort[];
}

interface Vector {
  readonly root: string;
  readonly cost: number;
  readonly bridge: string;
  readonly port: string;
}

interface RootInfo extends Vector {
  /** The own port the vector was heard on; '' for a root claiming itself. */
  readonly via: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareVector(a: Vector, b: Vector): number {
  return (
    compareText(a.root, b.root) ||
    a.cost - b.cost ||
    compareText(a.bridge, b.bridge) ||
    compareText(a.port, b.port)
  );
}

function better(a: RootInfo, b: RootInfo): boolean {
  const c = compareVector(a, b);
  return c < 0 || (c === 0 && compareText(a.via, b.via) < 0);
}

/** Blocked port indexes per bridge id (only bridges with a blocked port appear). */
export function spanningTree(bridges: readonly StpBridge[]): Map<string, Set<number>> {
  const onSegment = new Map<object, { bridge: StpBridge; port: StpPort }[]>();
  for (const bridge of bridges) {
    for (const port of bridge.ports) {
      const list = onSegment.get(port.segment) ?? [];
      list.push({ bridge, port });
      onSegment.set(port.segment, list);
    }
  }
  const info = converge(bridges, onSegment);
  const blocked = new Map<string, Set<number>>();
  for (const bridge of bridges) {
    const mine = info.get(bridge.id);
    for (const port of bridge.ports) {
      const isRootPort = mine !== undefined && mine.via === port.id;
      const designated = designatedOn(onSegment.get(port.segment) ?? [], info);
      const isDesignated = designated?.port === port.id && designated.bridge === bridge.id;
      if (isRootPort || isDesignated) continue;
      const set = blocked.get(bridge.id) ?? new Set<number>();
      set.add(port.index);
      blocked.set(bridge.id, set);
    }
  }
  return blocked;
}

/** Synchronous Bellman–Ford: each round, every bridge takes the best vector its ports hear. */
function converge(
  bridges: readonly StpBridge[],
  onSegment: Map<object, { bridge: StpBridge; port: StpPort }[]>,
): Map<string, RootInfo> {
  let info = new Map<string, RootInfo>(
    bridges.map((b) => [b.id, { root: b.id, cost: 0, bridge: b.id, port: '', via: '' }]),
  );
  for (let round = 0; round <= bridges.length + 1; round++) {
    const next = new Map<string, RootInfo>();
    let changed = false;
    for (const bridge of bridges) {
      let best: RootInfo = { root: bridge.id, cost: 0, bridge: bridge.id, port: '', via: '' };
      for (const port of bridge.ports) {
        for (const other of onSegment.get(port.segment) ?? []) {
          if (other.bridge === bridge) continue;
          const heard = info.get(other.bridge.id);
          if (heard === undefined) continue;
          const candidate: RootInfo = {
            root: heard.root,
            cost: heard.cost + 1,
            bridge: other.bridge.id,
            port: other.port.id,
            via: port.id,
          };
          if (better(candidate, best)) best = candidate;
        }
      }
      const before = info.get(bridge.id);
      if (before === undefined || compareVector(best, before) !== 0 || best.via !== before.via) {
        changed = true;
      }
      next.set(bridge.id, best);
    }
    info = next;
    if (!changed) break;
  }
  return info;
}

/** The port a segment's frames toward the root go through: the best vector offered on it. */
function designatedOn(
  members: readonly { bridge: StpBridge; port: StpPort }[],
  info: Map<string, RootInfo>,
): Vector | null {
  let best: Vector | null = null;
  for (const { bridge, port } of members) {
    const mine = info.get(bridge.id);
    if (mine === undefined) continue;
    const offer: Vector = { root: mine.root, cost: mine.cost, bridge: bridge.id, port: port.id };
    if (best === null || compareVector(offer, best) < 0) best = offer;
  }
  return best;
}
