/**
 * The names of every contract entry, free of any dependency so the Electron preload can
 * expose exactly one method per entry without bundling the schemas. `contract.ts` checks at
 * compile time that this list and the schemas agree.
 */
export const QUERY_NAMES = [
  'labs.list',
  'lab.open',
  'lab.openText',
  'lab.current',
  'lab.export',
  'lab.validate',
  'lab.undo',
  'lab.redo',
  'promiscuous.face',
  'traffic.run',
  'traffic.reset',
  'sim.macTable',
  'sim.learnedTable',
  'sim.arpCache',
  'sim.capture',
  'sim.exportPcapng',
  'sim.loops',
  'sim.tables',
  // Simulation view (issue 5): frame inspector, drop explanations, what-if.
  'sim.dissect',
  'sim.explain',
  'traffic.compare',
  // The run path (issue 11): stop the simulation work in flight.
  'traffic.cancel',
  // Persistence (issue 6): the library with progress, import, attempts, UI settings.
  'library.list',
  'lab.import',
  'attempt.restart',
  'attempt.export',
  'settings.get',
  'settings.set',
  // The exercise loop (issue 12): student or trainer, objectives' status, hints, answers.
  'session.setRole',
  'exercise.status',
  'exercise.revealHint',
  'exercise.answer',
  // Authoring (issue 13): one objective checked on the lab as it is, before it is kept.
  'exercise.try',
  // Grade a class (issue 13): one attempt file graded as `nestlab grade` grades it.
  'grade.attempt',
] as const;

export const EDIT_NAMES = [
  'adapter.setPromiscuous',
  'user.setPermission',
  'user.add',
  'user.remove',
  'user.setRole',
  'account.request',
  'account.approve',
  'account.deny',
  'lab.setActingUser',
  'vm.setPower',
  'vm.setNestedVirtualization',
  'vm.add',
  'vm.remove',
  'vm.rename',
  'vm.setArch',
  'vm.setGuestOs',
  'vm.setRole',
  'vm.setStp',
  'vm.setVirtualAddresses',
  'network.add',
  'network.remove',
  'network.rename',
  'network.setAddressing',
  'external.add',
  'external.remove',
  'external.rename',
  'external.setIp',
  'switch.add',
  'switch.remove',
  'switch.rename',
  'switch.setUplink',
  'adapter.add',
  'adapter.remove',
  'adapter.rename',
  'adapter.connect',
  'adapter.setMac',
  'adapter.setIp',
  'adapter.setGateway',
  'lab.setTitle',
  'lab.setUi',
  'exercise.set',
] as const;

export const CONTRACT_NAMES = [...QUERY_NAMES, ...EDIT_NAMES] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];
export type QueryName = (typeof QUERY_NAMES)[number];
export type EditName = (typeof EDIT_NAMES)[number];

/** Event pushed from the core to every connected renderer. */
export const EVENT_NAMES = ['lab.changed', 'attempt.opened', 'attempt.saved'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** The IPC channel of one entry (Electron). */
export function channelOf(name: ContractName): string {
  return `nestlab:${name}`;
}
export const EVENT_CHANNEL = 'nestlab:event';

export function isContractName(value: unknown): value is ContractName {
  return typeof value === 'string' && (CONTRACT_NAMES as readonly string[]).includes(value);
}
