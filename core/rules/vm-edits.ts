/**
 * Edits of VMs: power, the nesting box (A5), architecture (A4), role, STP, virtual
 * addresses, and adding or removing VMs and nested VMs.
 */
import type { RuleError } from '../model';
import { ruleError } from '../model';
import type { CommandArgs } from './commands';
import type { EditContext } from './account-edits';
import { findVm, setOptional, type VmDraft } from './draft';

function notFound(what: string, id: string): RuleError {
  return ruleError('not-found', 'A5', `There is no ${what} "${id}" in this lab.`);
}

function vmOf(ctx: EditContext, id: string): VmDraft | RuleError {
  return findVm(ctx.draft, id)?.vm ?? notFound('VM', id);
}

function isError(value: unknown): value is RuleError {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** Power needs no permission (lab-format.md, `power` step). */
export function setPower(
  ctx: EditContext,
  args: CommandArgs<'vm.setPower'>,
): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  vm.power = args.state;
  return undefined;
}

/** A5: Power VMs cannot nest; nested VMs block unticking; the box changes only while stopped. */
export function setNestedVirtualization(
  ctx: EditContext,
  args: CommandArgs<'vm.setNestedVirtualization'>,
): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  if (vm.nestedVirtualization === args.enabled) return undefined;
  if (args.enabled && vm.arch === 'power')
    return ruleError(
      'unsupported-architecture',
      'A5',
      `${vm.id} is a Power VM; Power VMs cannot have nested virtualization.`,
    );
  if (!args.enabled && (vm.nested.length > 0 || vm.switches.length > 0))
    return ruleError(
      'nested-vms-present',
      'A5',
      `${vm.id} still hosts nested VMs or switches; remove them before turning nested virtualization off.`,
    );
  if (vm.power !== 'stopped')
    return ruleError(
      'vm-not-stopped',
      'A5',
      `${vm.id} is ${vm.power}; stop it before changing nested virtualization.`,
    );
  // A5: enabling nesting never turns on promiscuous mode.
  vm.nestedVirtualization = args.enabled;
  return undefined;
}

/** Adds a VM, or a nested VM when `parent` names a hypervisor (A5). A1: adapters start non-promiscuous. */
export function addVm(ctx: EditContext, args: CommandArgs<'vm.add'>): RuleError | undefined {
  const spec = args.vm;
  const isEsxi = spec.guestOs !== undefined && /esxi/i.test(spec.guestOs);
  const vm: VmDraft = {
    id: spec.id,
    arch: spec.arch ?? 'x86_64',
    power: spec.power ?? 'running',
    nestedVirtualization: spec.nestedVirtualization ?? isEsxi,
    role: spec.role ?? 'host',
    stp: spec.stp ?? false,
    virtualMacs: [],
    virtualIps: [],
    adapters: (spec.adapters ?? []).map((a) => ({ ...a, promiscuous: false })),
    switches: [],
    nested: [],
  };
  setOptional(vm, 'name', spec.name);
  setOptional(vm, 'guestOs', spec.guestOs);
  if (args.parent === undefined) {
    ctx.draft.vms.push(vm);
    return undefined;
  }
  const parent = vmOf(ctx, args.parent);
  if (isError(parent)) return parent;
  if (!parent.nestedVirtualization)
    return ruleError(
      'nested-virtualization-required',
      'A5',
      `${parent.id} does not have nested virtualization; tick the box (with ${parent.id} stopped) before adding nested VMs.`,
    );
  parent.nested.push(vm);
  return undefined;
}

export function removeVm(ctx: EditContext, args: CommandArgs<'vm.remove'>): RuleError | undefined {
  const slot = findVm(ctx.draft, args.vm);
  if (!slot) return notFound('VM', args.vm);
  slot.list.splice(slot.list.indexOf(slot.vm), 1);
  return undefined;
}

export function renameVm(ctx: EditContext, args: CommandArgs<'vm.rename'>): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  setOptional(vm, 'name', args.name === '' ? null : args.name);
  return undefined;
}

/** A4/A5: a VM with promiscuous adapters or nesting cannot become a Power VM. */
export function setArch(ctx: EditContext, args: CommandArgs<'vm.setArch'>): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  if (args.arch === 'power') {
    const promiscuous = vm.adapters.find((a) => a.promiscuous);
    if (promiscuous)
      return ruleError(
        'unsupported-architecture',
        'A4',
        `${promiscuous.id} is promiscuous, and Power VMs cannot use promiscuous mode; disable it first.`,
      );
    if (vm.nestedVirtualization)
      return ruleError(
        'unsupported-architecture',
        'A5',
        `${vm.id} has nested virtualization, which Power VMs cannot have; turn it off first.`,
      );
  }
  vm.arch = args.arch;
  return undefined;
}

export function setGuestOs(
  ctx: EditContext,
  args: CommandArgs<'vm.setGuestOs'>,
): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  setOptional(vm, 'guestOs', args.guestOs === '' ? null : args.guestOs);
  return undefined;
}

export function setRole(ctx: EditContext, args: CommandArgs<'vm.setRole'>): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  vm.role = args.role;
  return undefined;
}

export function setStp(ctx: EditContext, args: CommandArgs<'vm.setStp'>): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  vm.stp = args.stp;
  return undefined;
}

export function setVirtualAddresses(
  ctx: EditContext,
  args: CommandArgs<'vm.setVirtualAddresses'>,
): RuleError | undefined {
  const vm = vmOf(ctx, args.vm);
  if (isError(vm)) return vm;
  vm.virtualMacs = [...args.virtualMacs];
  vm.virtualIps = [...args.virtualIps];
  return undefined;
}
