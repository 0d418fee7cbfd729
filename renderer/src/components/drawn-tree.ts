/**
 * The topology list's tree: what the canvas drew, grouped under each element's parent
 * (a hypervisor's switches and nested VMs, a VM's adapters), in a stable kind order.
 */
import type { DrawnItem } from '../canvas/cytoscape-adapter';

const ORDER: Record<DrawnItem['kind'], number> = {
  network: 0,
  external: 1,
  adapter: 2,
  uplink: 2,
  switch: 3,
  vm: 4,
  bridge: 4,
  hypervisor: 4,
};

/** Children by parent id (null: the top level), built in one pass. */
export function drawnTree(items: readonly DrawnItem[]): Map<string | null, DrawnItem[]> {
  const children = new Map<string | null, DrawnItem[]>();
  for (const item of items) {
    const list = children.get(item.parent);
    if (list) list.push(item);
    else children.set(item.parent, [item]);
  }
  for (const list of children.values()) list.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  return children;
}
