/**
 * Where the trace's places are on the drawing. A trace event names an adapter, a network, a
 * nested switch, a bridge or hypervisor (a VM id), a gateway (`<network>:gateway`) or an
 * external host; the canvas draws networks, switches, VMs and external hosts as nodes and
 * adapters as links (`adapter:<id>`, from its VM, or from its switch for an uplink, to a
 * network or nested switch). This module says which drawn element stands for a place, which
 * node's badge counts what happens there (a VM for its adapters, a network for its gateway),
 * how a frame travels between two places (along the adapter's link when there is one), and
 * which links join the devices of a loop's cycle.
 */
import type { Lab, Vm } from '../../../core/model/lab';
import { canvasId } from '../canvas/topology';

/** What the overlay asks of the drawing, in the container's pixels (the topology canvas). */
export interface DrawingGeometry {
  renderedCentre(id: string): { x: number; y: number } | null;
  renderedBox(id: string): { x1: number; y1: number; x2: number; y2: number } | null;
  renderedAlong(id: string, along: number): { x: number; y: number } | null;
  /** Every drawn node's box and every label's box (nodes' and links'), for badges to avoid. */
  renderedObstacles(): DrawnObstacles;
  /** Calls `listener` after each render of the drawing; returns the unsubscribe. */
  onRender(listener: () => void): () => void;
}

/** A box in the container's pixels. */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** What is drawn where, as boxes: nodes (compound ones hold others) and the labels' text. */
export interface DrawnObstacles {
  readonly nodes: readonly { readonly id: string; readonly box: Box; readonly compound: boolean }[];
  readonly labels: readonly Box[];
}

/** A place on the drawing. */
export type Anchor =
  /** A node's centre. */
  | { readonly kind: 'node'; readonly id: string }
  /** The VM end of an adapter's link (its source end), the link's id. */
  | { readonly kind: 'link'; readonly id: string; readonly along: number }
  /** A gateway: the right-hand end of its network's bar. */
  | { readonly kind: 'gateway'; readonly id: string };

export interface PlaceInfo {
  readonly anchor: Anchor;
  /** What the place is, in words, for labels: `adapter esxi-nic0`, `network lan`. */
  readonly label: string;
  /** The node whose badge counts the place's deliveries and drops (a VM for its adapters). */
  readonly node: string;
  /** For an adapter with a link: the canvas ids of the nodes at the link's two ends. */
  readonly linkSource?: string;
  readonly linkTarget?: string;
  /** A bridge's adapter: what it receives goes on through the bridge (not a frame's end). */
  readonly transit?: boolean;
}

/** The path a frame takes from one place to the next: a link part, or a straight line. */
export type Leg =
  | { readonly kind: 'link'; readonly id: string; readonly from: number; readonly to: number }
  | { readonly kind: 'line'; readonly from: Anchor; readonly to: Anchor };

export class Places {
  private readonly places = new Map<string, PlaceInfo>();
  private nodeLabels: Map<string, string> | null = null;

  constructor(lab: Lab) {
    for (const network of lab.networks) {
      this.places.set(network.id, {
        anchor: { kind: 'node', id: canvasId('network', network.id) },
        label: `network ${network.id}`,
        node: canvasId('network', network.id),
      });
      this.places.set(`${network.id}:gateway`, {
        anchor: { kind: 'gateway', id: canvasId('network', network.id) },
        label: `the gateway of ${network.id}`,
        node: canvasId('network', network.id),
      });
    }
    for (const host of lab.external)
      this.places.set(host.id, {
        anchor: { kind: 'node', id: canvasId('external', host.id) },
        label: `external host ${host.id}`,
        node: canvasId('external', host.id),
      });
    const visit = (vm: Vm): void => {
      const vmNode = canvasId('vm', vm.id);
      this.places.set(vm.id, {
        anchor: { kind: 'node', id: vmNode },
        label: `${vm.role === 'bridge' ? 'bridge' : 'VM'} ${vm.id}`,
        node: vmNode,
      });
      for (const sw of vm.switches)
        this.places.set(sw.id, {
          anchor: { kind: 'node', id: canvasId('switch', sw.id) },
          label: `nested switch ${sw.id}`,
          node: canvasId('switch', sw.id),
        });
      for (const adapter of vm.adapters) {
        const target =
          adapter.network !== undefined
            ? canvasId('network', adapter.network)
            : adapter.switch !== undefined
              ? canvasId('switch', adapter.switch)
              : undefined;
        // An uplink's link starts at its switch, not at the hypervisor (as the canvas draws it).
        const uplinkOf = vm.switches.find((sw) => sw.uplink === adapter.id);
        const source = uplinkOf ? canvasId('switch', uplinkOf.id) : vmNode;
        this.places.set(adapter.id, {
          anchor: target
            ? { kind: 'link', id: canvasId('adapter', adapter.id), along: 0 }
            : { kind: 'node', id: vmNode },
          label: `adapter ${adapter.id}`,
          node: vmNode,
          ...(target ? { linkSource: source, linkTarget: target } : {}),
          ...(vm.role === 'bridge' ? { transit: true } : {}),
        });
      }
      for (const child of vm.nested) visit(child);
    };
    for (const vm of lab.vms) visit(vm);
  }

  get(place: string): PlaceInfo | undefined {
    return this.places.get(place);
  }

  /** A node's place in words (`network lan`, `bridge br1`), by its canvas id. */
  nodeLabel(node: string): string | undefined {
    if (!this.nodeLabels) {
      this.nodeLabels = new Map();
      // The node's own place comes before the adapters that stand at it (a link-less one).
      for (const place of this.places.values())
        if (place.anchor.kind === 'node' && !this.nodeLabels.has(place.anchor.id))
          this.nodeLabels.set(place.anchor.id, place.label);
    }
    return this.nodeLabels.get(node);
  }

  anchor(place: string): Anchor | undefined {
    return this.places.get(place)?.anchor;
  }

  /** How a frame goes from `from` to `to`: along an adapter's link when one joins them. */
  leg(from: string, to: string): Leg | undefined {
    const a = this.places.get(from);
    const b = this.places.get(to);
    if (!a || !b) return undefined;
    // Adapter → the network or switch its link reaches, and back.
    if (a.anchor.kind === 'link' && b.anchor.kind === 'node' && a.linkTarget === b.anchor.id)
      return { kind: 'link', id: a.anchor.id, from: 0, to: 1 };
    if (b.anchor.kind === 'link' && a.anchor.kind === 'node' && b.linkTarget === a.anchor.id)
      return { kind: 'link', id: b.anchor.id, from: 1, to: 0 };
    return { kind: 'line', from: a.anchor, to: b.anchor };
  }

  /**
   * What a loop's cycle (devices, in order, closing back on the first) is drawn as: the
   * nodes of its devices and the links joining each device to the next.
   */
  cycleElements(cycle: readonly string[]): { nodes: string[]; links: string[] } {
    const nodes = cycle
      .map((device) => this.places.get(device)?.node)
      .filter((id): id is string => id !== undefined);
    const links: string[] = [];
    nodes.forEach((a, i) => {
      const b = nodes[(i + 1) % nodes.length];
      if (b === undefined || b === a) return;
      for (const place of this.places.values()) {
        if (place.anchor.kind !== 'link') continue;
        const { linkSource: s, linkTarget: t } = place;
        if ((s === a && t === b) || (s === b && t === a)) links.push(place.anchor.id);
      }
    });
    return { nodes: [...new Set(nodes)], links: [...new Set(links)] };
  }
}
