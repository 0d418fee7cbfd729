/**
 * The lab file's schema (lab-format.md), written once with zod: it validates untrusted
 * input at runtime, gives the static types, and generates the JSON Schema that ships in
 * `schema/nestlab-lab.schema.json`. Objects are strict: an unknown key is an error with its
 * path, never silently dropped. Traffic steps and objective checks are one-key objects; each
 * kind has its own schema in the tables below, so a bad step is reported against its kind.
 */
import { z } from 'zod';
import { thousands } from '../common/numbers';

/**
 * Size limits, the same as the api's (core/api/contract.ts), so whatever a valid file holds the
 * app can also show, edit and save; and bounds on the simulator's limits and on a script, so
 * every run of a valid lab is bounded (core/sim/budget.ts).
 */
export const LIMITS = {
  idLength: 200,
  nameLength: 200,
  titleLength: 200,
  descriptionLength: 100_000,
  useCaseLength: 10_000,
  diagramLength: 4_000_000,
  steps: 10_000,
  objectives: 10_000,
  hopLimit: 255,
  copyLimit: 100_000,
  ageingSeconds: 10_000_000,
} as const;

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.idLength, `An id is at most ${LIMITS.idLength} characters`);
const name = z.string().max(LIMITS.nameLength, `A name is at most ${LIMITS.nameLength} characters`);

/** A whole number from `min` to `max`, with one message that gives the range. */
function intRange(min: number, max: number): z.ZodNumber {
  const range = `Expected a whole number from ${thousands(min)} to ${thousands(max)}`;
  return z.number().int(range).min(min, range).max(max, range);
}

export const powerStateSchema = z.enum(['running', 'stopped', 'suspended']);
export const architectureSchema = z.enum(['x86_64', 'power']);
export const vmRoleSchema = z.enum(['host', 'bridge']);
export const featureStateSchema = z.enum(['disabled', 'requested', 'enabled', 'denied']);
export const userRoleSchema = z.enum(['admin', 'user']);
const etherTypeNumber = z.number().int().min(0).max(0xffff);

export const userSchema = z.strictObject({
  name: id,
  role: userRoleSchema,
  promiscuous: z.boolean().default(false),
});

export const accountSchema = z.strictObject({
  promiscuousMode: featureStateSchema.default('disabled'),
  request: z
    .strictObject({
      by: id,
      useCase: z
        .string()
        .max(
          LIMITS.useCaseLength,
          `A use case is at most ${thousands(LIMITS.useCaseLength)} characters`,
        ),
      diagram: z
        .string()
        .max(
          LIMITS.diagramLength,
          `A diagram is at most ${thousands(LIMITS.diagramLength)} characters`,
        )
        .optional(),
    })
    .optional(),
});

export const networkSchema = z.strictObject({
  id,
  name: name.optional(),
  subnet: z.string().optional(),
  gateway: z.string().optional(),
});

export const externalHostSchema = z.strictObject({ id, name: name.optional(), ip: z.string() });

export const adapterSchema = z.strictObject({
  id,
  name: name.optional(),
  network: id.optional(),
  switch: id.optional(),
  mac: z.string(),
  ip: z.string().optional(),
  promiscuous: z.boolean().default(false),
  gateway: z.string().optional(),
});

export const nestedSwitchSchema = z.strictObject({
  id,
  name: name.optional(),
  uplink: id.optional(),
});

export interface VmInput {
  id: string;
  name?: string | undefined;
  guestOs?: string | undefined;
  arch?: 'x86_64' | 'power' | undefined;
  power?: 'running' | 'stopped' | 'suspended' | undefined;
  nestedVirtualization?: boolean | undefined;
  role?: 'host' | 'bridge' | undefined;
  stp?: boolean | undefined;
  virtualMacs?: string[] | undefined;
  virtualIps?: string[] | undefined;
  adapters?: z.input<typeof adapterSchema>[] | undefined;
  switches?: z.input<typeof nestedSwitchSchema>[] | undefined;
  nested?: VmInput[] | undefined;
}

/** Nested VMs have the same keys as a VM (lab-format.md), so the schema is recursive. */
export const vmSchema = z.strictObject({
  id,
  name: name.optional(),
  guestOs: z.string().optional(),
  arch: architectureSchema.optional(),
  power: powerStateSchema.optional(),
  nestedVirtualization: z.boolean().optional(),
  role: vmRoleSchema.optional(),
  stp: z.boolean().optional(),
  virtualMacs: z.array(z.string()).optional(),
  virtualIps: z.array(z.string()).optional(),
  adapters: z.array(adapterSchema).optional(),
  switches: z.array(nestedSwitchSchema).optional(),
  get nested(): z.ZodOptional<z.ZodArray<typeof vmSchema>> {
    return z.array(vmSchema).optional();
  },
});

export const simSchema = z.strictObject({
  ageingSeconds: z
    .number()
    .positive(`Expected a number of seconds above 0 and at most ${thousands(LIMITS.ageingSeconds)}`)
    .max(
      LIMITS.ageingSeconds,
      `Expected a number of seconds above 0 and at most ${thousands(LIMITS.ageingSeconds)}`,
    )
    .optional(),
  hopLimit: intRange(1, LIMITS.hopLimit).optional(),
  copyLimit: intRange(1, LIMITS.copyLimit).optional(),
});

const protoFilter = z.union([z.enum(['arp', 'icmp', 'ipv4']), etherTypeNumber]);
const emptyArgs = z.union([z.strictObject({}), z.null()]);

/** Traffic steps: each an object with one key (lab-format.md's table). */
export const stepSchemas = {
  ping: z.strictObject({ from: id, to: id, count: z.number().int().min(1).max(1000).optional() }),
  frame: z.strictObject({
    from: id,
    src: z.string(),
    dst: z.string(),
    type: z.union([z.enum(['arp', 'ipv4']), etherTypeNumber]),
    payload: z.string().optional(),
  }),
  garp: z.strictObject({ from: id, mac: z.string(), ip: z.string() }),
  power: z.strictObject({ vm: id, state: powerStateSchema }),
  set: z.strictObject({
    actor: id.optional(),
    adapter: id.optional(),
    user: id.optional(),
    vm: id.optional(),
    promiscuous: z.boolean().optional(),
    nestedVirtualization: z.boolean().optional(),
  }),
  request: z.strictObject({
    actor: id.optional(),
    useCase: z
      .string()
      .max(
        LIMITS.useCaseLength,
        `A use case is at most ${thousands(LIMITS.useCaseLength)} characters`,
      ),
    diagram: z
      .string()
      .max(
        LIMITS.diagramLength,
        `A diagram is at most ${thousands(LIMITS.diagramLength)} characters`,
      )
      .optional(),
  }),
  approve: emptyArgs,
  deny: emptyArgs,
  wait: z.strictObject({ seconds: z.number().min(0).max(1e7) }),
} as const;

export type StepKind = keyof typeof stepSchemas;

const captureFilter = z.strictObject({
  at: id,
  src: z.string().optional(),
  dst: z.string().optional(),
  proto: protoFilter.optional(),
});
const pingCheck = z.strictObject({ from: id, to: id });
const settingValue = z.union([z.string(), z.number(), z.boolean()]);

/** Objective checks: each an object with one key (lab-format.md). */
export const checkSchemas = {
  reachable: pingCheck,
  unreachable: pingCheck,
  captured: captureFilter,
  notCaptured: captureFilter,
  noLoop: z.literal(true),
  config: z.record(z.string(), settingValue),
  valid: z.literal(true),
} as const;

export type CheckKind = keyof typeof checkSchemas;

function oneKeyUnion<T extends Record<string, z.ZodType>>(table: T): z.ZodType {
  const options = Object.entries(table).map(([key, schema]) => z.strictObject({ [key]: schema }));
  return z.union(options as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

export const trafficStepSchema = oneKeyUnion(stepSchemas);
export const objectiveCheckSchema = oneKeyUnion(checkSchemas);

export const objectiveSchema = z.strictObject({
  id,
  name: name.optional(),
  text: z.string().optional(),
  hint: z.string().optional(),
  check: objectiveCheckSchema,
});

const STEPS_MAX = `A traffic script has at most ${thousands(LIMITS.steps)} steps`;
const OBJECTIVES_MAX = `A lab has at most ${thousands(LIMITS.objectives)} objectives`;

/**
 * The whole file. `traffic[]` and `objectives[].check` are checked per kind by the parser
 * (see parse.ts) for precise paths; here they use the one-key unions, for the JSON Schema.
 */
export const labFileSchema = z.strictObject({
  nestlab: z.literal(1),
  title: z
    .string()
    .max(LIMITS.titleLength, `A title is at most ${LIMITS.titleLength} characters`)
    .optional(),
  description: z
    .string()
    .max(
      LIMITS.descriptionLength,
      `A description is at most ${thousands(LIMITS.descriptionLength)} characters`,
    )
    .optional(),
  profile: z.literal('skytap').optional(),
  account: accountSchema.optional(),
  users: z.array(userSchema).optional(),
  actingUser: id.optional(),
  networks: z.array(networkSchema).optional(),
  external: z.array(externalHostSchema).optional(),
  vms: z.array(vmSchema).optional(),
  traffic: z.array(trafficStepSchema).max(LIMITS.steps, STEPS_MAX).optional(),
  objectives: z.array(objectiveSchema).max(LIMITS.objectives, OBJECTIVES_MAX).optional(),
  sim: simSchema.optional(),
  ui: z.unknown().optional(),
});

/** The top level as the parser checks it: steps and checks are validated one by one. */
export const labShellSchema = labFileSchema.extend({
  traffic: z.array(z.unknown()).max(LIMITS.steps, STEPS_MAX).optional(),
  objectives: z
    .array(objectiveSchema.extend({ check: z.unknown() }))
    .max(LIMITS.objectives, OBJECTIVES_MAX)
    .optional(),
});

export type LabFileInput = z.output<typeof labFileSchema>;
export type VmParsed = z.output<typeof vmSchema>;

/** The JSON Schema editors use to complete and check lab files. */
export function labJsonSchema(): unknown {
  return z.toJSONSchema(labFileSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  });
}
