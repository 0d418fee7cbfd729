/**
 * Edits of networks, external hosts, nested switches and adapters. Removing a network
 * disconnects its adapters; removing an adapter frees the switch it was the uplink of.
 * Address and attachment rules (A6, A7) are checked on the result by `applyEdit`.
 */
import type { RuleError } from '../model';
import { ruleError } from '../model';
import type { CommandArgs } from './commands';
import type { EditContext } from './account-edits';
import { eachVm, findAdapter, findSwitch, findVm, setOptional } from './draft';

function notFound(what: string, id: string, rule = 'A7'): RuleError {
  return ruleError('not-found', rule, `There is no ${what} "${id}" in this lab.`);
}

export function addNetwork(
  ctx: EditContext,
  args: CommandArgs<'network.add'>,
): RuleError | undefined {
  const network = { id: args.network.id };
  setOptional(network as Record<string, unknown>, 'name', args.network.name);
  setOptional(network as Record<string, unknown>, 'subnet', args.network.subnet);
  setOptional(network as Record<string, unknown>, 'gateway', args.network.gateway);
  ctx.draft.networks.push(network);
  return undefined;
}

export function removeNetwork(
  ctx: EditContext,
  args: CommandArgs<'network.remove'>,
): RuleError | undefined {
  const index = ctx.draft.networks.findIndex((n) => n.id === args.network);
  if (index < 0) return notFound('network', args.network);
  ctx.draft.networks.splice(index, 1);
  eachVm(ctx.draft, (vm) => {
    for (const a of vm.adapters) if (a.network === args.network) delete a.network;
  });
  return undefined;
}

export function renameNetwork(
  ctx: EditContext,
  args: CommandArgs<'network.rename'>,
): RuleError | undefined {
  const network = ctx.draft.networks.find((n) => n.id === args.network);
  if (!network) return notFound('network', args.network);
  setOptional(network, 'name', args.name === '' ? null : args.name);
  return undefined;
}

export function setNetworkAddressing(
  ctx: EditContext,
  args: CommandArgs<'network.setAddressing'>,
): RuleError | undefined {
  const network = ctx.draft.networks.find((n) => n.id === args.network);
  if (!network) return notFound('network', args.network);
  setOptional(network, 'subnet', args.subnet === '' ? null : args.subnet);
  setOptional(network, 'gateway', args.gateway === '' ? null : args.gateway);
  return undefined;
}

export function addExternal(
  ctx: EditContext,
  args: CommandArgs<'external.add'>,
): RuleError | undefined {
  const host = { id: args.host.id, ip: args.host.ip };
  setOptional(host as Record<string, unknown>, 'name', args.host.name);
  ctx.draft.external.push(host);
  return undefined;
}

export function removeExternal(
  ctx: EditContext,
  args: CommandArgs<'external.remove'>,
): RuleError | undefined {
  const index = ctx.draft.external.findIndex((h) => h.id === args.host);
  if (index < 0) return notFound('external host', args.host, 'D5');
  ctx.draft.external.splice(index, 1);
  return undefined;
}

export function renameExternal(
  ctx: EditContext,
  args: CommandArgs<'external.rename'>,
): RuleError | undefined {
  const host = ctx.draft.external.find((h) => h.id === args.host);
  if (!host) return notFound('external host', args.host, 'D5');
  setOptional(host, 'name', args.name === '' ? null : args.name);
  return undefined;
}

export function setExternalIp(
  ctx: EditContext,
  args: CommandArgs<'external.setIp'>,
): RuleError | undefined {
  const host = ctx.draft.external.find((h) => h.id === args.host);
  if (!host) return notFound('external host', args.host, 'D5');
  host.ip = args.ip;
  return undefined;
}

/** A5: a switch lives in a hypervisor with nesting on. */
export function addSwitch(
  ctx: EditContext,
  args: CommandArgs<'switch.add'>,
): RuleError | undefined {
  const vm = findVm(ctx.draft, args.vm)?.vm;
  if (!vm) return notFound('VM', args.vm, 'A5');
  if (!vm.nestedVirtualization)
    return ruleError(
      'nested-virtualization-required',
      'A5',
      `${vm.id} does not have nested virtualization; tick the box (with ${vm.id} stopped) before adding a nested switch.`,
    );
  const sw = { id: args.switch.id };
  setOptional(sw as Record<string, unknown>, 'name', args.switch.name);
  setOptional(sw as Record<string, unknown>, 'uplink', args.switch.uplink);
  vm.switches.push(sw);
  return undefined;
}

export function removeSwitch(
  ctx: EditContext,
  args: CommandArgs<'switch.remove'>,
): RuleError | undefined {
  const found = findSwitch(ctx.draft, args.switch);
  if (!found) return notFound('switch', args.switch);
  found.vm.switches.splice(found.vm.switches.indexOf(found.sw), 1);
  for (const nested of found.vm.nested)
    for (const a of nested.adapters) if (a.switch === args.switch) delete a.switch;
  return undefined;
}

export function renameSwitch(
  ctx: EditContext,
  args: CommandArgs<'switch.rename'>,
): RuleError | undefined {
  const found = findSwitch(ctx.draft, args.switch);
  if (!found) return notFound('switch', args.switch);
  setOptional(found.sw, 'name', args.name === '' ? null : args.name);
  return undefined;
}

export function setUplink(
  ctx: EditContext,
  args: CommandArgs<'switch.setUplink'>,
): RuleError | undefined {
  const found = findSwitch(ctx.draft, args.switch);
  if (!found) return notFound('switch', args.switch);
  setOptional(found.sw, 'uplink', args.uplink);
  return undefined;
}

/** A1: a new adapter is never promiscuous. */
export function addAdapter(
  ctx: EditContext,
  args: CommandArgs<'adapter.add'>,
): RuleError | undefined {
  const vm = findVm(ctx.draft, args.vm)?.vm;
  if (!vm) return notFound('VM', args.vm);
  vm.adapters.push({ ...args.adapter, promiscuous: false });
  return undefined;
}

export function removeAdapter(
  ctx: EditContext,
  args: CommandArgs<'adapter.remove'>,
): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter);
  found.vm.adapters.splice(found.vm.adapters.indexOf(found.adapter), 1);
  for (const sw of found.vm.switches) if (sw.uplink === args.adapter) delete sw.uplink;
  return undefined;
}

export function renameAdapter(
  ctx: EditContext,
  args: CommandArgs<'adapter.rename'>,
): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter);
  setOptional(found.adapter, 'name', args.name === '' ? null : args.name);
  return undefined;
}

/** Attaches an adapter to a network or a switch, or disconnects it when neither is given. */
export function connectAdapter(
  ctx: EditContext,
  args: CommandArgs<'adapter.connect'>,
): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter);
  if (args.network !== undefined && args.switch !== undefined)
    return ruleError(
      'invalid-request',
      'A7',
      'An adapter attaches to a network or a switch, not both.',
    );
  setOptional(found.adapter, 'network', args.network);
  setOptional(found.adapter, 'switch', args.switch);
  return undefined;
}

export function setMac(
  ctx: EditContext,
  args: CommandArgs<'adapter.setMac'>,
): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter, 'A6');
  found.adapter.mac = args.mac;
  return undefined;
}

export function setIp(ctx: EditContext, args: CommandArgs<'adapter.setIp'>): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter, 'A6');
  setOptional(found.adapter, 'ip', args.ip === '' ? null : args.ip);
  return undefined;
}

export function setGateway(
  ctx: EditContext,
  args: CommandArgs<'adapter.setGateway'>,
): RuleError | undefined {
  const found = findAdapter(ctx.draft, args.adapter);
  if (!found) return notFound('adapter', args.adapter, 'D5');
  setOptional(found.adapter, 'gateway', args.gateway === '' ? null : args.gateway);
  return undefined;
}

export function setTitle(
  ctx: EditContext,
  args: CommandArgs<'lab.setTitle'>,
): RuleError | undefined {
  ctx.draft.title = args.title;
  // A rename alone keeps the description (`''` empties it).
  if (args.description !== undefined) setOptional(ctx.draft, 'description', args.description);
  return undefined;
}

export function setUi(ctx: EditContext, args: CommandArgs<'lab.setUi'>): RuleError | undefined {
  ctx.draft.ui = args.ui;
  return undefined;
}
