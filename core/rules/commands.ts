/**
 * Every edit a lab needs, as one table of argument schemas: the renderer, the CLI's `set`
 * steps and the api service all speak these, and main and the web host re-validate every
 * argument against them at runtime because a renderer is not trusted (style.md §2).
 */
import * as v from 'valibot';
import { list, strictObject } from '../common/schema';
import { checkInput } from '../common/schema-problems';
import { ruleError, type RuleError } from '../model';
import {
  architectureSchema,
  descriptionSchema,
  diagramSchema,
  guestOsSchema,
  idSchema,
  LIMITS,
  nameSchema,
  powerStateSchema,
  titleSchema,
  useCaseSchema,
  vmRoleSchema,
  userRoleSchema,
} from '../lab/schema';
import { uiSchema } from '../lab/ui-section';
import { buildExercise, type ExerciseKeys } from '../lab/parse';

// The lab file's own schemas, so every id, name and text a valid file holds can be edited.
const id = idSchema;
const label = nameSchema;
const address = v.pipe(v.string(), v.maxLength(100));

const newAdapter = strictObject({
  id,
  name: v.optional(label),
  network: v.optional(id),
  switch: v.optional(id),
  mac: address,
  ip: v.optional(address),
  gateway: v.optional(address),
});

const newVm = strictObject({
  id,
  name: v.optional(label),
  guestOs: v.optional(guestOsSchema),
  arch: v.optional(architectureSchema),
  power: v.optional(powerStateSchema),
  nestedVirtualization: v.optional(v.boolean()),
  role: v.optional(vmRoleSchema),
  stp: v.optional(v.boolean()),
  adapters: v.optional(list(newAdapter, 64)),
});

export const commandSchemas = {
  // Account, users, permissions (P1–P6)
  'adapter.setPromiscuous': strictObject({ adapter: id, promiscuous: v.boolean() }),
  'user.setPermission': strictObject({ user: id, promiscuous: v.boolean() }),
  'user.add': strictObject({ user: id, role: userRoleSchema }),
  'user.remove': strictObject({ user: id }),
  'user.setRole': strictObject({ user: id, role: userRoleSchema }),
  'account.request': strictObject({
    useCase: useCaseSchema,
    diagram: v.optional(diagramSchema),
  }),
  'account.approve': strictObject({}),
  'account.deny': strictObject({}),
  'lab.setActingUser': strictObject({ user: id }),
  // VMs (A2, A4, A5)
  'vm.setPower': strictObject({ vm: id, state: powerStateSchema }),
  'vm.setNestedVirtualization': strictObject({ vm: id, enabled: v.boolean() }),
  'vm.add': strictObject({ vm: newVm, parent: v.optional(id) }),
  'vm.remove': strictObject({ vm: id }),
  'vm.rename': strictObject({ vm: id, name: label }),
  'vm.setArch': strictObject({ vm: id, arch: architectureSchema }),
  'vm.setGuestOs': strictObject({ vm: id, guestOs: v.nullable(guestOsSchema) }),
  'vm.setRole': strictObject({ vm: id, role: vmRoleSchema }),
  'vm.setStp': strictObject({ vm: id, stp: v.boolean() }),
  'vm.setVirtualAddresses': strictObject({
    vm: id,
    virtualMacs: list(address, LIMITS.virtualAddresses),
    virtualIps: list(address, LIMITS.virtualAddresses),
  }),
  // Networks and external hosts
  'network.add': strictObject({
    network: strictObject({
      id,
      name: v.optional(label),
      subnet: v.optional(address),
      gateway: v.optional(address),
    }),
  }),
  'network.remove': strictObject({ network: id }),
  'network.rename': strictObject({ network: id, name: label }),
  'network.setAddressing': strictObject({
    network: id,
    subnet: v.nullable(address),
    gateway: v.nullable(address),
  }),
  'external.add': strictObject({
    host: strictObject({ id, name: v.optional(label), ip: address }),
  }),
  'external.remove': strictObject({ host: id }),
  'external.rename': strictObject({ host: id, name: label }),
  'external.setIp': strictObject({ host: id, ip: address }),
  // Nested switches (A5, A7)
  'switch.add': strictObject({
    vm: id,
    switch: strictObject({ id, name: v.optional(label), uplink: v.optional(id) }),
  }),
  'switch.remove': strictObject({ switch: id }),
  'switch.rename': strictObject({ switch: id, name: label }),
  'switch.setUplink': strictObject({ switch: id, uplink: v.nullable(id) }),
  // Adapters (A1, A6, A7)
  'adapter.add': strictObject({ vm: id, adapter: newAdapter }),
  'adapter.remove': strictObject({ adapter: id }),
  'adapter.rename': strictObject({ adapter: id, name: label }),
  'adapter.connect': strictObject({ adapter: id, network: v.optional(id), switch: v.optional(id) }),
  'adapter.setMac': strictObject({ adapter: id, mac: address }),
  'adapter.setIp': strictObject({ adapter: id, ip: v.nullable(address) }),
  'adapter.setGateway': strictObject({ adapter: id, gateway: v.nullable(address) }),
  // Lab text and the editor's own section
  'lab.setTitle': strictObject({
    title: titleSchema,
    description: v.optional(descriptionSchema),
  }),
  // What a lab file's `ui:` can hold and read back, so the lab always exports (ui-section.ts).
  'lab.setUi': strictObject({ ui: uiSchema }),
  // The exercise (trainer mode): each key whole, in the lab file's own form, read by its parser
  'exercise.set': strictObject({
    traffic: v.optional(list(v.unknown(), LIMITS.steps)),
    objectives: v.optional(list(v.unknown(), LIMITS.objectives)),
    checkpoints: v.optional(list(v.unknown(), LIMITS.checkpoints)),
    student: v.optional(v.unknown()),
  }),
} as const;

export type CommandType = keyof typeof commandSchemas;
/** A command's arguments (`{}` for the argument-less ones). */
export type CommandArgs<K extends CommandType> = v.InferOutput<(typeof commandSchemas)[K]>;
/** What a command carries once checked: its arguments, the exercise's read into the lab's records. */
type CommandValue<K extends CommandType> = K extends 'exercise.set' ? ExerciseKeys : CommandArgs<K>;
export type EditCommand = {
  [K in CommandType]: { readonly type: K } & CommandValue<K>;
}[CommandType];

export const COMMAND_TYPES = Object.keys(commandSchemas) as CommandType[];

export function isCommandType(value: string): value is CommandType {
  return Object.hasOwn(commandSchemas, value);
}

/**
 * Runtime validation of untrusted arguments (a renderer is not trusted). `actingUser` is the
 * lab's, the actor of an exercise's `set` or `request` step that names none (as in a file).
 */
export function parseCommand(
  type: string,
  args: unknown,
  actingUser = 'trainer',
): { ok: true; command: EditCommand } | RuleError {
  if (!isCommandType(type)) return ruleError('invalid-request', 'P6', `Unknown edit "${type}".`);
  const parsed = checkInput(commandSchemas[type], args);
  if (!parsed.ok) {
    const problem = parsed.problems[0];
    const where = problem?.path.length ? ` at ${problem.path.join('.')}` : '';
    return ruleError(
      'invalid-request',
      'P6',
      `Bad arguments for ${type}${where}: ${problem?.message ?? 'invalid'}.`,
    );
  }
  if (type === 'exercise.set') {
    const keys = parsed.value as CommandArgs<'exercise.set'>;
    if (Object.values(keys).every((value) => value === undefined))
      return ruleError(
        'invalid-request',
        'P6',
        'exercise.set changes nothing: give traffic, objectives, checkpoints or student.',
      );
    const read = buildExercise(keys, actingUser);
    if (!read.ok) {
      const first = read.violations[0];
      return ruleError(
        'invalid-request',
        'format',
        `${first?.path ? `${first.path}: ` : ''}${first?.message ?? 'invalid'}`,
      );
    }
    return { ok: true, command: { type, ...read.keys } };
  }
  return { ok: true, command: { type, ...parsed.value } as EditCommand };
}
