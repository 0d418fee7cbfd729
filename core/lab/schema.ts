/**
 * The lab file's schema (lab-format.md), written once with valibot (through core/common/schema):
 * it validates untrusted input at runtime, gives the static types, and is what
 * `schema/nestlab-lab.schema.json` is generated from (`npm run schema`). Objects are strict: an
 * unknown key is an error with its path, never silently dropped. Traffic steps and objective
 * checks are one-key objects; each kind has its own schema in the tables below, so a bad step is
 * reported against its kind.
 */
import * as v from 'valibot';
import { thousands } from '../common/numbers';
import { finiteNumber, list, maxChars, record, strictObject, wholeNumber } from '../common/schema';
import { DROP_REASONS } from '../sim/types';

/**
 * Size limits, which the api's schemas use too (core/rules/commands.ts, core/api/contract.ts),
 * so whatever a valid file holds the app can also show, edit and save; and bounds on the
 * simulator's limits and on a script, so every run of a valid lab is bounded (core/sim/budget.ts).
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
  checkpoints: 10_000,
  choices: 20,
  questionLength: 10_000,
  explainLength: 100_000,
  hopLimit: 255,
  copyLimit: 100_000,
  ageingSeconds: 10_000_000,
  /** A VM's `virtualMacs`, and its `virtualIps` (D1). */
  virtualAddresses: 64,
} as const;

/** Anything's id; the api takes ids with this same schema, so any id a file holds can be edited. */
export const idSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  maxChars(LIMITS.idLength, `An id is at most ${LIMITS.idLength} characters`),
);
const id = idSchema;

/** A trace's place can also be a network's gateway, `<network>:gateway` (lab-format.md). */
export const GATEWAY_SUFFIX = ':gateway';
const PLACE_LENGTH = LIMITS.idLength + GATEWAY_SUFFIX.length;
/** An id, or `<network>:gateway`: where a ping goes, where a frame ends, what the app inspects. */
export const placeSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  maxChars(
    PLACE_LENGTH,
    `An id is at most ${LIMITS.idLength} characters (${PLACE_LENGTH} for <network>${GATEWAY_SUFFIX})`,
  ),
);

export const nameSchema = v.pipe(
  v.string(),
  maxChars(LIMITS.nameLength, `A name is at most ${LIMITS.nameLength} characters`),
);
const name = nameSchema;
/** A VM's `guestOs` is a label like its name, with the same limit. */
export const guestOsSchema = v.pipe(
  v.string(),
  maxChars(LIMITS.nameLength, `A guest OS is at most ${LIMITS.nameLength} characters`),
);
export const titleSchema = v.pipe(
  v.string(),
  maxChars(LIMITS.titleLength, `A title is at most ${LIMITS.titleLength} characters`),
);
export const descriptionSchema = v.pipe(
  v.string(),
  maxChars(
    LIMITS.descriptionLength,
    `A description is at most ${thousands(LIMITS.descriptionLength)} characters`,
  ),
);
export const useCaseSchema = v.pipe(
  v.string(),
  maxChars(
    LIMITS.useCaseLength,
    `A use case is at most ${thousands(LIMITS.useCaseLength)} characters`,
  ),
);
const useCase = useCaseSchema;
export const diagramSchema = v.pipe(
  v.string(),
  maxChars(
    LIMITS.diagramLength,
    `A diagram is at most ${thousands(LIMITS.diagramLength)} characters`,
  ),
);
const diagram = diagramSchema;

/** A whole number from `min` to `max`, with one message that gives the range. */
function intRange(min: number, max: number): v.GenericSchema<number> {
  const range = `Expected a whole number from ${thousands(min)} to ${thousands(max)}`;
  return v.pipe(wholeNumber(range), v.minValue(min, range), v.maxValue(max, range));
}

export const powerStateSchema = v.picklist(['running', 'stopped', 'suspended']);
export const architectureSchema = v.picklist(['x86_64', 'power']);
export const vmRoleSchema = v.picklist(['host', 'bridge']);
export const featureStateSchema = v.picklist(['disabled', 'requested', 'enabled', 'denied']);
export const userRoleSchema = v.picklist(['admin', 'user']);
const etherTypeNumber = v.pipe(wholeNumber(), v.minValue(0), v.maxValue(0xffff));

export const userSchema = strictObject({
  name: id,
  role: userRoleSchema,
  promiscuous: v.optional(v.boolean(), false),
});

export const accountSchema = strictObject({
  promiscuousMode: v.optional(featureStateSchema, 'disabled'),
  request: v.optional(strictObject({ by: id, useCase, diagram: v.optional(diagram) })),
});

export const networkSchema = strictObject({
  id,
  name: v.optional(name),
  subnet: v.optional(v.string()),
  gateway: v.optional(v.string()),
});

export const externalHostSchema = strictObject({ id, name: v.optional(name), ip: v.string() });

export const adapterSchema = strictObject({
  id,
  name: v.optional(name),
  network: v.optional(id),
  switch: v.optional(id),
  mac: v.string(),
  ip: v.optional(v.string()),
  promiscuous: v.optional(v.boolean(), false),
  gateway: v.optional(v.string()),
});

export const nestedSwitchSchema = strictObject({
  id,
  name: v.optional(name),
  uplink: v.optional(id),
});

const VIRTUAL_MAX = `A VM has at most ${LIMITS.virtualAddresses} virtual MACs and ${LIMITS.virtualAddresses} virtual IPs`;

/** A VM's keys but `nested`, which is where the schema recurses. */
const vmKeys = {
  id,
  name: v.optional(name),
  guestOs: v.optional(guestOsSchema),
  arch: v.optional(architectureSchema),
  power: v.optional(powerStateSchema),
  nestedVirtualization: v.optional(v.boolean()),
  role: v.optional(vmRoleSchema),
  stp: v.optional(v.boolean()),
  virtualMacs: v.optional(list(v.string(), LIMITS.virtualAddresses, VIRTUAL_MAX)),
  virtualIps: v.optional(list(v.string(), LIMITS.virtualAddresses, VIRTUAL_MAX)),
  adapters: v.optional(v.array(adapterSchema)),
  switches: v.optional(v.array(nestedSwitchSchema)),
};
type VmKeys = v.StrictObjectSchema<typeof vmKeys, undefined>;

export type VmInput = v.InferInput<VmKeys> & { nested?: VmInput[] | undefined };
export type VmParsed = v.InferOutput<VmKeys> & { nested?: VmParsed[] | undefined };

/** Nested VMs have the same keys as a VM (lab-format.md), so the schema is recursive. */
export const vmSchema: v.GenericSchema<VmInput, VmParsed> = strictObject({
  ...vmKeys,
  nested: v.optional(v.array(v.lazy(() => vmSchema))),
});

const ageing = `Expected a number of seconds above 0 and at most ${thousands(LIMITS.ageingSeconds)}`;

export const simSchema = strictObject({
  ageingSeconds: v.optional(
    v.pipe(finiteNumber(), v.gtValue(0, ageing), v.maxValue(LIMITS.ageingSeconds, ageing)),
  ),
  hopLimit: v.optional(intRange(1, LIMITS.hopLimit)),
  copyLimit: v.optional(intRange(1, LIMITS.copyLimit)),
});

const protoFilter = v.union([v.picklist(['arp', 'icmp', 'ipv4']), etherTypeNumber]);
const emptyArgs = v.union([strictObject({}), v.null()]);

/** Traffic steps: each an object with one key (lab-format.md's table). */
export const stepSchemas = {
  ping: strictObject({
    from: id,
    to: placeSchema,
    count: v.optional(v.pipe(wholeNumber(), v.minValue(1), v.maxValue(1000))),
  }),
  frame: strictObject({
    from: id,
    src: v.string(),
    dst: v.string(),
    type: v.union([v.picklist(['arp', 'ipv4']), etherTypeNumber]),
    payload: v.optional(v.string()),
  }),
  garp: strictObject({ from: id, mac: v.string(), ip: v.string() }),
  power: strictObject({ vm: id, state: powerStateSchema }),
  set: strictObject({
    actor: v.optional(id),
    adapter: v.optional(id),
    user: v.optional(id),
    vm: v.optional(id),
    promiscuous: v.optional(v.boolean()),
    nestedVirtualization: v.optional(v.boolean()),
  }),
  request: strictObject({ actor: v.optional(id), useCase, diagram: v.optional(diagram) }),
  approve: emptyArgs,
  deny: emptyArgs,
  wait: strictObject({ seconds: v.pipe(finiteNumber(), v.minValue(0), v.maxValue(1e7)) }),
} as const;

export type StepKind = keyof typeof stepSchemas;

const captureFilter = strictObject({
  at: id,
  src: v.optional(v.string()),
  dst: v.optional(v.string()),
  proto: v.optional(protoFilter),
});
const pingCheck = strictObject({ from: id, to: placeSchema });
const settingValue = v.union([v.string(), finiteNumber(), v.boolean()]);

/** Objective checks: each an object with one key (lab-format.md). */
export const checkSchemas = {
  reachable: pingCheck,
  unreachable: pingCheck,
  captured: captureFilter,
  notCaptured: captureFilter,
  noLoop: v.literal(true),
  config: record(settingValue),
  valid: v.literal(true),
} as const;

export type CheckKind = keyof typeof checkSchemas;

/** `{ kind: {...} }` for each kind of a table, as one union (for the JSON Schema). */
function oneKeyUnion(table: Record<string, v.GenericSchema>): v.GenericSchema {
  return v.union(Object.entries(table).map(([key, schema]) => strictObject({ [key]: schema })));
}

export const trafficStepSchema = oneKeyUnion(stepSchemas);
export const objectiveCheckSchema = oneKeyUnion(checkSchemas);

const objectiveText = v.pipe(
  v.string(),
  maxChars(
    LIMITS.questionLength,
    `An objective's text or hint is at most ${thousands(LIMITS.questionLength)} characters`,
  ),
);
const objectiveKeys = {
  id,
  name: v.optional(name),
  text: v.optional(objectiveText),
  hint: v.optional(objectiveText),
};
export const objectiveSchema = strictObject({ ...objectiveKeys, check: objectiveCheckSchema });

const STEPS_MAX = `A traffic script has at most ${thousands(LIMITS.steps)} steps`;
const OBJECTIVES_MAX = `A lab has at most ${thousands(LIMITS.objectives)} objectives`;

export const dropReasonSchema = v.picklist(DROP_REASONS);

const question = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  maxChars(
    LIMITS.questionLength,
    `A question or a choice is at most ${thousands(LIMITS.questionLength)} characters`,
  ),
);
const explain = v.pipe(
  v.string(),
  maxChars(
    LIMITS.explainLength,
    `An explanation is at most ${thousands(LIMITS.explainLength)} characters`,
  ),
);

/**
 * A choice's fate as the parser checks it: the keys of both forms, so each problem is reported at
 * its own key; that exactly one of `delivered` and `dropped` is there is checked after (parse.ts).
 */
export const fateKeysSchema = strictObject({
  delivered: v.optional(placeSchema),
  dropped: v.optional(placeSchema),
  reason: v.optional(dropReasonSchema),
});

/** The same, as the JSON Schema says it: exactly one of the two forms. */
const fateSchema = v.union([
  strictObject({ delivered: placeSchema }),
  strictObject({ dropped: placeSchema, reason: v.optional(dropReasonSchema) }),
]);

const CHOICES_MIN = `A checkpoint has at least 2 choices`;
const CHOICES_MAX = `A checkpoint has at most ${LIMITS.choices} choices`;

function checkpointOf<F extends v.GenericSchema>(fate: F) {
  const choice = strictObject({ text: question, fate });
  return strictObject({
    id,
    before: intRange(0, LIMITS.steps - 1),
    question,
    choices: v.pipe(list(choice, LIMITS.choices, CHOICES_MAX), v.minLength(2, CHOICES_MIN)),
    explain: v.optional(explain),
  });
}

/** A checkpoint (lab-format.md, "Exercise keys"), with the parser's form of `fate`. */
export const checkpointSchema = checkpointOf(fateKeysSchema);
export const choiceSchema = strictObject({ text: question, fate: fateKeysSchema });

export const studentEditSchema = v.picklist(['all', 'settings', 'none']);

export const studentSchema = strictObject({
  edit: v.optional(studentEditSchema, 'all'),
  actAs: v.optional(
    v.pipe(
      list(id, LIMITS.objectives, `actAs names at most ${thousands(LIMITS.objectives)} users`),
      v.minLength(1, 'Name at least one user, or leave actAs out to allow every user'),
    ),
  ),
});

const HINTS_MAX = `An attempt uses at most ${thousands(LIMITS.objectives)} hints`;
const CHOICE_INDEX = 'Expected a choice index: a whole number from 0';

/** What the app writes into a saved attempt: answers by checkpoint id, hints used. */
export const attemptSchema = strictObject({
  // Any whole number from 0, however large: one past the last choice is a warning (an answer
  // that names no choice), not an attempt that cannot be read.
  answers: v.optional(
    record(v.pipe(finiteNumber(), v.integer(CHOICE_INDEX), v.minValue(0, CHOICE_INDEX))),
  ),
  hints: v.optional(list(id, LIMITS.objectives, HINTS_MAX)),
});

const CHECKPOINTS_MAX = `A lab has at most ${thousands(LIMITS.checkpoints)} checkpoints`;

/** The exercise keys (checkpoints with the given form of `fate`, student, attempt). */
function exerciseKeys<F extends v.GenericSchema>(fate: F) {
  return {
    checkpoints: v.optional(list(checkpointOf(fate), LIMITS.checkpoints, CHECKPOINTS_MAX)),
    student: v.optional(studentSchema),
    attempt: v.optional(attemptSchema),
  };
}

/**
 * Every top-level key but `traffic`, `objectives` and the exercise keys, which the two schemas
 * below check apart.
 */
const labKeys = {
  nestlab: v.literal(1),
  title: v.optional(titleSchema),
  description: v.optional(descriptionSchema),
  profile: v.optional(v.literal('skytap')),
  account: v.optional(accountSchema),
  users: v.optional(v.array(userSchema)),
  actingUser: v.optional(id),
  networks: v.optional(v.array(networkSchema)),
  external: v.optional(v.array(externalHostSchema)),
  vms: v.optional(v.array(vmSchema)),
};
const labTail = { sim: v.optional(simSchema), ui: v.optional(v.unknown()) };

/**
 * The whole file. `traffic[]` and `objectives[].check` are checked per kind by the parser
 * (see parse.ts) for precise paths; here they use the one-key unions, for the JSON Schema.
 */
export const labFileSchema = strictObject({
  ...labKeys,
  traffic: v.optional(list(trafficStepSchema, LIMITS.steps, STEPS_MAX)),
  objectives: v.optional(list(objectiveSchema, LIMITS.objectives, OBJECTIVES_MAX)),
  ...exerciseKeys(fateSchema),
  ...labTail,
});

/** The top level as the parser checks it: steps and checks are validated one by one. */
export const labShellSchema = strictObject({
  ...labKeys,
  traffic: v.optional(list(v.unknown(), LIMITS.steps, STEPS_MAX)),
  objectives: v.optional(
    list(strictObject({ ...objectiveKeys, check: v.unknown() }), LIMITS.objectives, OBJECTIVES_MAX),
  ),
  ...exerciseKeys(fateKeysSchema),
  ...labTail,
});

export type LabFileInput = v.InferOutput<typeof labFileSchema>;
export type LabShellOutput = v.InferOutput<typeof labShellSchema>;
