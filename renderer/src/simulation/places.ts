/**
 * Where the trace's places are on the drawing. A trace event names an adapter, a network, a
 * nested switch, a bridge or hypervisor (a VM id), a gateway (`<network>:gateway`) or an
 * external host; the canvas draws networks, switches, VMs and external hosts as nodes and
 * adapters as links (`adapter:<id>`, from its VM, or from its switch for an uplink, to a
 * network or nested switch). This module says which drawn element stands for a place and
 * how a frame travels between two places: along the adapter's link when there is one.
 */
import type { Lab, Vm } from '../../../core/model/lab';
import { canvasId } from '../canvas/topology';

/** What the overlay asks of the drawing, in the container's pixels (the topology canvas). */
export interface DrawingGeometry {
  renderedCentre(id: string): { x: number; y: number } | null;
  renderedBox(id: string): { x1: number; y1: number; x2: number; y2: number } | null;
  renderedAlong(id: string, along: number): { x: number; y: number } | null;
  /** Calls `listener` after each render of the drawing; returns the unsubscribe. */
  onRender(listener: () => void): () => void;
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
  /** For an adapter with a link: the canvas id of the node at the link's far end. */
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

  constructor(lab: Lab) {
    for (const network of lab.networks) {
      this.places.set(network.id, {
        anchor: { kind: 'node', id: canvasId('network', network.id) },
        label: `network ${network.id}`,
      });
      this.places.set(`${network.id}:gateway`, {
        anchor: { kind: 'gateway', id: canvasId('network', network.id) },
        label: `the gateway of ${network.id}`,
      });
    }
    for (const host of lab.external)
      this.places.set(host.id, {
        anchor: { kind: 'node', id: canvasId('external', host.id) },
        label: `external host ${host.id}`,
      });
    const visit = (vm: Vm): void => {
      const vmNode = canvasId('vm', vm.id);
      this.places.set(vm.id, {
        anchor: { kind: 'node', id: vmNode },
        label: `${vm.role === 'bridge' ? 'bridge' : 'VM'} ${vm.id}`,
      });
      for (const sw of vm.switches)
        this.places.set(sw.id, {
          anchor: { kind: 'node', id: canvasId('switch', sw.id) },
          label: `nested switch ${sw.id}`,
        });
      for (const adapter of vm.adapters) {
        const target =
          adapter.network !== undefined
            ? canvasId('network', adapter.network)
            : adapter.switch !== undefined
              ? canvasId('switch', adapter.switch)
              : undefined;
        this.places.set(adapter.id, {
          anchor: target
            ? { kind: 'link', id: canvasId('adapter', adapter.id), along: 0 }
            : { kind: 'node', id: vmNode },
          label: `adapter ${adapter.id}`,
          ...(target ? { linkTarget: target } : {}),
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
}
