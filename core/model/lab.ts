/**
 * The lab's parsed records: account, users, networks, VMs, adapters, nested switches,
 * bridges and external hosts. Values are immutable: edits (core/rules) produce new labs.
 * Every optional key of lab-format.md has its default applied here, so consumers never
 * guess (A1 promiscuous off, power running, arch x86_64, role host).
 */

export type PromiscuousFeatureState = 'disabled' | 'requested' | 'enabled' | 'denied';
export type UserRole = 'admin' | 'user';
export type PowerState = 'running' | 'stopped' | 'suspended';
export type Architecture = 'x86_64' | 'power';
export type VmRole = 'host' | 'bridge';

export interface FeatureRequest {
  readonly by: string;
  readonly useCase: string;
  /** The lab's topology snapshot the administrator attached (P1), e.g. a PNG data URL. */
  readonly diagram?: string;
}

export interface Account {
  readonly promiscuousMode: PromiscuousFeatureState;
  /** The pending or last answered request (P1). */
  readonly request?: FeatureRequest;
}

export interface User {
  readonly name: string;
  readonly role: UserRole;
  /** P3: the per-user promiscuous permission, off by default for everyone. */
  readonly promiscuous: boolean;
}

export interface Network {
  readonly id: string;
  readonly name?: string;
  /** CIDR, e.g. 10.0.0.0/24. */
  readonly subnet?: string;
  /** The gateway's IP (D5). */
  readonly gateway?: string;
}

export interface ExternalHost {
  readonly id: string;
  readonly name?: string;
  readonly ip: string;
}

export interface Adapter {
  readonly id: string;
  readonly name?: string;
  /** A VM's adapter attaches to a network… */
  readonly network?: string;
  /** …a nested VM's adapter to a switch of its own hypervisor (A7). */
  readonly switch?: string;
  readonly mac: string;
  /** CIDR form, e.g. 10.0.0.10/24. */
  readonly ip?: string;
  readonly promiscuous: boolean;
  /** An adapter's own default gateway IP (D5). */
  readonly gateway?: string;
}

export interface NestedSwitch {
  readonly id: string;
  readonly name?: string;
  /** One adapter of the switch's hypervisor, used by at most one switch (A7). */
  readonly uplink?: string;
}

export interface Vm {
  readonly id: string;
  readonly name?: string;
  readonly guestOs?: string;
  readonly arch: Architecture;
  readonly power: PowerState;
  readonly nestedVirtualization: boolean;
  readonly role: VmRole;
  /** D3: bridges run a spanning tree when true. */
  readonly stp: boolean;
  readonly virtualMacs: readonly string[];
  readonly virtualIps: readonly string[];
  readonly adapters: readonly Adapter[];
  readonly switches: readonly NestedSwitch[];
  /** Nested VMs; the same keys as a VM, their adapters attach to this VM's switches. */
  readonly nested: readonly Vm[];
}

export interface SimSettings {
  /** F7: learned MAC entries age out after this many simulated seconds. */
  readonly ageingSeconds: number;
  /** D4: a frame's copies stop after this many hops… */
  readonly hopLimit: number;
  /** …or this many copies of one origin. */
  readonly copyLimit: number;
}

export const DEFAULT_SIM: SimSettings = { ageingSeconds: 300, hopLimit: 32, copyLimit: 1000 };

export type ProtoFilter = 'arp' | 'icmp' | 'ipv4' | number;

export type TrafficStep =
  | { readonly kind: 'ping'; readonly from: string; readonly to: string; readonly count: number }
  | {
      readonly kind: 'frame';
      readonly from: string;
      readonly src: string;
      readonly dst: string;
      readonly type: 'arp' | 'ipv4' | number;
      readonly payload?: string;
    }
  | { readonly kind: 'garp'; readonly from: string; readonly mac: string; readonly ip: string }
  | { readonly kind: 'power'; readonly vm: string; readonly state: PowerState }
  | {
      readonly kind: 'set';
      readonly actor: string;
      readonly adapter?: string;
      readonly user?: string;
      readonly vm?: string;
      readonly promiscuous?: boolean;
      readonly nestedVirtualization?: boolean;
    }
  | {
      readonly kind: 'request';
      readonly actor: string;
      readonly useCase: string;
      readonly diagram?: string;
    }
  | { readonly kind: 'approve' }
  | { readonly kind: 'deny' }
  | { readonly kind: 'wait'; readonly seconds: number };

export interface CaptureFilter {
  readonly at: string;
  readonly src?: string;
  readonly dst?: string;
  readonly proto?: ProtoFilter;
}

export type ObjectiveCheck =
  | { readonly kind: 'reachable'; readonly from: string; readonly to: string }
  | { readonly kind: 'unreachable'; readonly from: string; readonly to: string }
  | ({ readonly kind: 'captured' } & CaptureFilter)
  | ({ readonly kind: 'notCaptured' } & CaptureFilter)
  | { readonly kind: 'noLoop' }
  | { readonly kind: 'config'; readonly settings: ConfigCheck }
  | { readonly kind: 'valid' };

/** `config: { adapter: X, promiscuous: true }`, `{ vm: X, power: stopped }`, `{ user, promiscuous }`… */
export interface ConfigCheck {
  readonly adapter?: string;
  readonly vm?: string;
  readonly user?: string;
  readonly network?: string;
  readonly [setting: string]: string | number | boolean | undefined;
}

export interface Objective {
  readonly id: string;
  readonly name?: string;
  readonly text?: string;
  readonly hint?: string;
  readonly check: ObjectiveCheck;
}

/** Where a checkpoint's choice says the step's origin frame ends (lab-format.md, "Exercise keys"). */
export type CheckpointFate =
  { readonly delivered: string } | { readonly dropped: string; readonly reason?: string };

export interface CheckpointChoice {
  readonly text: string;
  readonly fate: CheckpointFate;
}

/** A predict-then-observe question asked before traffic step `before` runs. */
export interface Checkpoint {
  readonly id: string;
  /** Index (0-based) of the traffic step the question comes before. */
  readonly before: number;
  readonly question: string;
  readonly choices: readonly CheckpointChoice[];
  /** Markdown, shown once the student has answered and seen the step. */
  readonly explain?: string;
}

/** What the app lets a student change: `all` (default), settings only, or nothing. */
export type StudentEdit = 'all' | 'settings' | 'none';

export interface StudentPolicy {
  readonly edit: StudentEdit;
  /** Users a student may act as; absent: every user. */
  readonly actAs?: readonly string[];
}

/** A lab without `student:` lets a student change anything, acting as any user. */
export const DEFAULT_STUDENT: StudentPolicy = { edit: 'all' };

/**
 * What a student did beside the topology, kept with the attempt and written into a saved
 * attempt file (`attempt:`): checkpoint answers (choice index by checkpoint id) and the
 * objectives whose hint was shown. Never a score: grading recomputes every verdict.
 */
export interface AttemptAnswers {
  readonly answers: Readonly<Record<string, number>>;
  readonly hints: readonly string[];
}

export interface Lab {
  readonly nestlab: 1;
  readonly title: string;
  readonly description?: string;
  readonly profile: 'skytap';
  readonly account: Account;
  readonly users: readonly User[];
  readonly actingUser: string;
  readonly networks: readonly Network[];
  readonly external: readonly ExternalHost[];
  readonly vms: readonly Vm[];
  readonly traffic: readonly TrafficStep[];
  readonly objectives: readonly Objective[];
  /** Predict-then-observe questions (empty when the file has none). */
  readonly checkpoints: readonly Checkpoint[];
  /** What a student may change in the app (`edit: all` when the file says nothing). */
  readonly student: StudentPolicy;
  /** A saved attempt's answers and hints used; absent in a trainer's lab. */
  readonly attempt?: AttemptAnswers;
  readonly sim: SimSettings;
  /** What the editor keeps (positions, viewport); the core and the CLI ignore it. */
  readonly ui?: unknown;
}

/** A lab with no `users` has one administrator `trainer` with the permission, as acting user. */
export const DEFAULT_USER: User = { name: 'trainer', role: 'admin', promiscuous: true };

/** True when the lab's cast is the implied default (no `users` in the file). */
export function hasDefaultCast(lab: Pick<Lab, 'users' | 'actingUser'>): boolean {
  const [only] = lab.users;
  return (
    lab.users.length === 1 &&
    only !== undefined &&
    only.name === DEFAULT_USER.name &&
    only.role === DEFAULT_USER.role &&
    only.promiscuous === DEFAULT_USER.promiscuous &&
    lab.actingUser === DEFAULT_USER.name
  );
}
