/**
 * What the palette offers: every kind of element a lab can hold, with its icon, its name
 * and the tooltip that says what it is and where it goes. Dragging an item carries its kind
 * under PALETTE_MIME; the canvas accepts only that.
 */
import type { IconName } from '../icons/icons';
import type { PaletteKind } from '../state/editor.svelte';

export const PALETTE_MIME = 'application/x-nestlab-kind';

export interface PaletteItem {
  readonly kind: PaletteKind;
  readonly label: string;
  readonly icon: IconName;
  readonly tooltip: string;
}

export const PALETTE_ITEMS: readonly PaletteItem[] = [
  {
    kind: 'network',
    label: 'Network',
    icon: 'network',
    tooltip: 'A Skytap network: a virtual switch with an optional gateway. Start here.',
  },
  {
    kind: 'vm',
    label: 'VM',
    icon: 'vm',
    tooltip: 'A virtual machine. Connect it to a network by dragging in connect mode.',
  },
  {
    kind: 'hypervisor',
    label: 'Hypervisor VM',
    icon: 'hypervisor',
    tooltip:
      'A VM with nested virtualization on (guest OS ESXi): it can hold nested switches and VMs.',
  },
  {
    kind: 'switch',
    label: 'Nested switch',
    icon: 'switch',
    tooltip:
      'A switch inside a hypervisor; its uplink is one of the hypervisor’s adapters. Drop it on a hypervisor.',
  },
  {
    kind: 'nested-vm',
    label: 'Nested VM',
    icon: 'nested-vm',
    tooltip:
      'A VM inside a hypervisor, on one of its nested switches. Drop it on a hypervisor or a switch.',
  },
  {
    kind: 'bridge',
    label: 'Inline bridge',
    icon: 'bridge',
    tooltip:
      'A VM that bridges its adapters (role bridge): it joins networks and captures what crosses.',
  },
  {
    kind: 'external',
    label: 'External host',
    icon: 'external',
    tooltip: 'A host beyond the gateways (“the Internet”), reached through a network’s gateway.',
  },
];

export function isPaletteKind(value: string): value is PaletteKind {
  return PALETTE_ITEMS.some((item) => item.kind === value);
}
