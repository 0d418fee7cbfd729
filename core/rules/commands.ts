/**
 * Every edit a lab needs, as one table of argument schemas: the renderer, the CLI's `set`
 * steps and the api service all speak these, and main and the web host re-validate every
 * argument against them at runtime because a renderer is not trusted (style.md §2).
 */
import { z } from 'zod';
import { ruleError, type RuleError } from '../model';
import { architectureSchema, powerStateSchema, vmRoleSchema, userRoleSchema } from '../lab/schema';

const id = z.string().min(1).max(200);
const label = z.string().max(200);
const address = z.string().max(100);

const newAdapter = z.strictObject({
  id,
  name: label.optional(),
  network: id.optional(),
  switch: id.optional(),
  mac: address,
  ip: address.optional(),
  gateway: address.optional(),
});

const newVm = z.strictObject({
  id,
  name: label.optional(),
  guestOs: label.optional(),
  arch: architectureSchema.optional(),
  power: powerStateSchema.optional(),
  nestedVirtualization: z.boolean().optional(),
  role: vmRoleSchema.optional(),
  stp: z.boolean().optional(),
  adapters: z.array(newAdapter).max(64).optional(),
});

export const commandSchemas = {
  // Account, users, permissions (P1–P6)
  'adapter.setPromiscuous': z.strictObject({ adapter: id, promiscuous: z.boolean() }),
  'user.setPermission': z.strictObject({ user: id, promiscuous: z.boolean() }),
  'user.add': z.strictObject({ user: id, role: userRoleSchema }),
  'user.remove': z.strictObject({ user: id }),
  'user.setRole': z.strictObject({ user: id, role: userRoleSchema }),
  'account.request': z.strictObject({
    useCase: z.string().max(10_000),
    diagram: z.string().max(4_000_000).optional(),
  }),
  'account.approve': z.strictObject({}),
  'account.deny': z.strictObject({}),
  'lab.setActingUser': z.strictObject({ user: id }),
  // VMs (A2, A4, A5)
  'vm.setPower': z.strictObject({ vm: id, state: powerStateSchema }),
  'vm.setNestedVirtualization': z.strictObject({ vm: id, enabled: z.boolean() }),
  'vm.add': z.strictObject({ vm: newVm, parent: id.optional() }),
  'vm.remove': z.strictObject({ vm: id }),
  'vm.rename': z.strictObject({ vm: id, name: label }),
  'vm.setArch': z.strictObject({ vm: id, arch: architectureSchema }),
  'vm.setGuestOs': z.strictObject({ vm: id, guestOs: label.nullable() }),
  'vm.setRole': z.strictObject({ vm: id, role: vmRoleSchema }),
  'vm.setStp': z.strictObject({ vm: id, stp: z.boolean() }),
  'vm.setVirtualAddresses': z.strictObject({
    vm: id,
    virtualMacs: z.array(address).max(64),
    virtualIps: z.array(address).max(64),
  }),
  // Networks and external hosts
  'network.add': z.strictObject({
    network: z.strictObject({
      id,
      name: label.optional(),
      subnet: address.optional(),
      gateway: address.optional(),
    }),
  }),
  'network.remove': z.strictObject({ network: id }),
  'network.rename': z.strictObject({ network: id, name: label }),
  'network.setAddressing': z.strictObject({
    network: id,
    subnet: address.nullable(),
    gateway: address.nullable(),
  }),
  'external.add': z.strictObject({
    host: z.strictObject({ id, name: label.optional(), ip: address }),
  }),
  'external.remove': z.strictObject({ host: id }),
  'external.rename': z.strictObject({ host: id, name: label }),
  'external.setIp': z.strictObject({ host: id, ip: address }),
  // Nested switches (A5, A7)
  'switch.add': z.strictObject({
    vm: id,
    switch: z.strictObject({ id, name: label.optional(), uplink: id.optional() }),
  }),
  'switch.remove': z.strictObject({ switch: id }),
  'switch.rename': z.strictObject({ switch: id, name: label }),
  'switch.setUplink': z.strictObject({ switch: id, uplink: id.nullable() }),
  // Adapters (A1, A6, A7)
  'adapter.add': z.strictObject({ vm: id, adapter: newAdapter }),
  'adapter.remove': z.strictObject({ adapter: id }),
  'adapter.rename': z.strictObject({ adapter: id, name: label }),
  'adapter.connect': z.strictObject({ adapter: id, network: id.optional(), switch: id.optional() }),
  'adapter.setMac': z.strictObject({ adapter: id, mac: address }),
  'adapter.setIp': z.strictObject({ adapter: id, ip: address.nullable() }),
  'adapter.setGateway': z.strictObject({ adapter: id, gateway: address.nullable() }),
  // Lab text and the editor's own section
  'lab.setTitle': z.strictObject({ title: label, description: z.string().max(100_000).optional() }),
  'lab.setUi': z.strictObject({ ui: z.record(z.string(), z.unknown()) }),
} as const;

export type CommandType = keyof typeof commandSchemas;
type SchemaOutput<K extends CommandType> = z.output<(typeof commandSchemas)[K]>;
/** A command's arguments; none for the argument-less ones (zod types those as an index signature). */
export type CommandArgs<K extends CommandType> = string extends keyof SchemaOutput<K>
  ? Record<never, never>
  : SchemaOutput<K>;
export type EditCommand = {
  [K in CommandType]: { readonly type: K } & CommandArgs<K>;
}[CommandType];

export const COMMAND_TYPES = Object.keys(commandSchemas) as CommandType[];

export function isCommandType(value: string): value is CommandType {
  return Object.hasOwn(commandSchemas, value);
}

/** Runtime validation of untrusted arguments (a renderer is not trusted). */
export function parseCommand(
  type: string,
  args: unknown,
): { ok: true; command: EditCommand } | RuleError {
  if (!isCommandType(type)) return ruleError('invalid-request', 'P6', `Unknown edit "${type}".`);
  const parsed = commandSchemas[type].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return ruleError(
      'invalid-request',
      'P6',
      `Bad arguments for ${type}${where}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return { ok: true, command: { type, ...parsed.data } as EditCommand };
}
