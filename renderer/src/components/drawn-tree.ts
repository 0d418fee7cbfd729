/**
 * The topology list's tree: what the canvas drew, grouped under each element's parent
 * (a hypervisor's switches and nested VMs, a VM's adapters), in a stable kind order. A
 * group whose items are all the same as in the previous tree is the previous array, so an
 * edit to one VM of a large lab re-renders one group of the list, not a thousand.
 */
import type { DrawnItem } from '../canvas/cytoscape-adapter';

export type DrawnTree = ReadonlyMap<string | null, readonly DrawnItem[]>;

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

/** An element without children; one array, so a leaf's (empty) group never changes. */
export const NO_CHILDREN: readonly DrawnItem[] = Object.freeze([]);

/** Children by parent id (null: the top level), built in one pass. */
export function drawnTree(items: readonly DrawnItem[], previous?: DrawnTree): DrawnTree {
  const children = new Map<string | null, DrawnItem[]>();
  for (const item of items) {
    const list = children.get(item.parent);
    if (list) list.push(item);
    else children.set(item.parent, [item]);
  }
  const tree = new Map<string | null, readonly DrawnItem[]>();
  for (const [parent, list] of children) {
    list.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
    const old = previous?.get(parent);
    const same = old && old.length === list.length && old.every((item, i) => item === list[i]);
    tree.set(parent, same ? old : list);
  }
  return tree;
}
