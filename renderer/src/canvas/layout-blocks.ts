/**
 * The building blocks of the lab's drawing (layout.ts): a block is a rectangle that knows
 * where the nodes inside it go once its top-left corner is known. Leaves, rows, rows that
 * wrap, the staircase of VMs on one large network, and a VM with everything it holds (a
 * hypervisor's box). Pure: sizes come from node-sizes.ts, nothing is measured.
 */
import type { Vm } from '../../../core/model/lab';
import type { Point } from '../state/editor-ui';
import { COMPOUND_PADDING, LINK_GAP, NODE_SIZE, titleWidth, type Size } from './node-sizes';
import { canvasId, isHypervisor, type NodeKind } from './topology';

/** Between two blocks side by side in a row. */
export const GAP_X = 40;
/** A row of VMs on one network wider than this wraps into rows (a staircase, below). */
export const WRAP_WIDTH = 1600;
/** The most rows VMs on one side of a bar wrap into. */
const MAX_ROWS = 4;
/**
 * How far each row of a staircase stands to the right of the row nearer the bar: a VM's
 * link leaves near its right end and passes between the VMs of the nearer rows, far enough
 * from their links' labels.
 */
const ROW_SHIFT = 64;

/** Where leaves stand, and where the hypervisors' boxes are centred (links leave them). */
export interface Placement {
  readonly leaves: Map<string, Point>;
  readonly compounds: Map<string, Point>;
}

export interface Block {
  readonly width: number;
  readonly height: number;
  /** Writes the positions of this block's nodes, its top-left corner at (x, y). */
  place(x: number, y: number, out: Placement): void;
}

export function leaf(id: string, size: Size): Block {
  return {
    width: size.width,
    height: size.height,
    place(x, y, out) {
      out.leaves.set(id, { x: x + size.width / 2, y: y + size.height / 2 });
    },
  };
}

export type Align = 'top' | 'middle' | 'bottom';

/** Blocks side by side, each aligned in the row's height as asked. */
export function row(items: readonly { block: Block; align: Align }[], gap = GAP_X): Block {
  const width =
    items.reduce((sum, { block }) => sum + block.width, 0) + gap * Math.max(0, items.length - 1);
  const height = Math.max(0, ...items.map(({ block }) => block.height));
  return {
    width,
    height,
    place(x, y, out) {
      let cursor = x;
      for (const { block, align } of items) {
        const slack = height - block.height;
        const top = align === 'top' ? y : align === 'bottom' ? y + slack : y + slack / 2;
        block.place(cursor, top, out);
        cursor += block.width + gap;
      }
    },
  };
}

function leafKind(vm: Vm): NodeKind {
  return isHypervisor(vm) ? 'hypervisor' : vm.role === 'bridge' ? 'bridge' : 'vm';
}

/**
 * A VM as a block: a leaf, or a hypervisor's box. Inside the box each nested switch stands
 * under the nested VMs that plug into it (their links go straight down), VMs on no switch of
 * this box at the end; the box is padded on every side and at least as wide as its title.
 */
export function vmBlock(vm: Vm, labels: ReadonlyMap<string, string>): Block {
  const id = canvasId('vm', vm.id);
  if (vm.nested.length === 0 && vm.switches.length === 0) return leaf(id, NODE_SIZE[leafKind(vm)]);
  const onSwitch = new Map<string, Vm[]>(vm.switches.map((sw) => [sw.id, []]));
  const loose: Vm[] = [];
  for (const child of vm.nested) {
    const sw = child.adapters.find((a) => a.switch !== undefined && onSwitch.has(a.switch));
    if (sw?.switch !== undefined) onSwitch.get(sw.switch)?.push(child);
    else loose.push(child);
  }
  const columns = [
    ...vm.switches.map((sw) => ({ switchId: sw.id, nested: onSwitch.get(sw.id) ?? [] })),
    ...(loose.length > 0 ? [{ switchId: undefined, nested: loose }] : []),
  ].map(({ switchId, nested }) => {
    const vms = row(nested.map((child) => ({ block: vmBlock(child, labels), align: 'bottom' })));
    const sw = switchId === undefined ? undefined : canvasId('switch', switchId);
    return { vms, sw, width: Math.max(vms.width, sw ? NODE_SIZE.switch.width : 0) };
  });
  const nestedHeight = Math.max(0, ...columns.map((c) => c.vms.height));
  const switchTop = nestedHeight > 0 ? nestedHeight + LINK_GAP : 0;
  const innerHeight = switchTop + (vm.switches.length > 0 ? NODE_SIZE.switch.height : 0);
  const used =
    columns.reduce((sum, c) => sum + c.width, 0) + GAP_X * Math.max(0, columns.length - 1);
  const title = titleWidth(labels.get(id) ?? vm.id) - 2 * COMPOUND_PADDING;
  const innerWidth = Math.max(used, title);
  return {
    width: innerWidth + 2 * COMPOUND_PADDING,
    height: innerHeight + 2 * COMPOUND_PADDING,
    place(x, y, out) {
      const left = x + COMPOUND_PADDING + (innerWidth - used) / 2;
      const top = y + COMPOUND_PADDING;
      out.compounds.set(id, { x: x + this.width / 2, y: y + this.height / 2 });
      let cursor = left;
      for (const column of columns) {
        const centre = cursor + column.width / 2;
        column.vms.place(
          centre - column.vms.width / 2,
          top + nestedHeight - column.vms.height,
          out,
        );
        if (column.sw)
          out.leaves.set(column.sw, {
            x: centre,
            y: top + switchTop + NODE_SIZE.switch.height / 2,
          });
        cursor += column.width + GAP_X;
      }
    },
  };
}

/** Leaves or blocks in rows that wrap at `width`, each row centred. */
export function wrapped(
  blocks: readonly Block[],
  width: number,
  gapX: number,
  gapY: number,
): Block {
  const rows: Block[][] = [];
  let current: Block[] = [];
  let used = 0;
  for (const block of blocks) {
    if (current.length > 0 && used + gapX + block.width > width) {
      rows.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? gapX : 0) + block.width;
    current.push(block);
  }
  if (current.length > 0) rows.push(current);
  const built = rows.map((r) =>
    row(
      r.map((block) => ({ block, align: 'top' as const })),
      gapX,
    ),
  );
  const total = Math.max(0, ...built.map((r) => r.width));
  return {
    width: total,
    height: built.reduce((sum, r) => sum + r.height, 0) + gapY * Math.max(0, built.length - 1),
    place(x, y, out) {
      let cursor = y;
      for (const r of built) {
        r.place(x + (total - r.width) / 2, cursor, out);
        cursor += r.height + gapY;
      }
    },
  };
}

/**
 * Plain VMs on one bar in rows (at most MAX_ROWS) instead of one long row. Each row farther
 * from the bar stands ROW_SHIFT to the right of the one before, and the gaps between VMs are
 * wide enough that a VM's link, leaving near its right end, passes between the VMs of every
 * nearer row with room for the labels there (link-geometry.ts finds that way for it).
 */
export function staircase(ids: readonly string[], bar: 'below' | 'above'): Block {
  const size = NODE_SIZE.vm;
  const rows = Math.min(MAX_ROWS, Math.ceil((ids.length * (size.width + GAP_X)) / WRAP_WIDTH));
  const columns = Math.ceil(ids.length / rows);
  const pitch = size.width + Math.max(GAP_X, (rows - 1) * ROW_SHIFT + 6);
  const width = (columns - 1) * pitch + (rows - 1) * ROW_SHIFT + size.width;
  const height = rows * size.height + (rows - 1) * LINK_GAP;
  return {
    width,
    height,
    place(x, y, out) {
      ids.forEach((id, i) => {
        const r = Math.floor(i / columns);
        const fromBar = r * (size.height + LINK_GAP);
        const top = bar === 'below' ? y + height - size.height - fromBar : y + fromBar;
        const left = x + (i % columns) * pitch + r * ROW_SHIFT;
        out.leaves.set(id, { x: left + size.width / 2, y: top + size.height / 2 });
      });
    },
  };
}
