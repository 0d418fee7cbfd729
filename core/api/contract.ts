/**
 * The one contract between UI and core (architecture.md): every command and query with
 * its argument schema (re-validated at runtime by main and the web host) and its result
 * type, and the events the core pushes. Expected failures are values, never exceptions.
 */
import * as v from 'valibot';
import { list, strictObject, wholeNumber } from '../common/schema';
import type { PlainExercise } from '../lab/plain';
import type { Lab, RuleError, Violation } from '../model';
import type { FaceResult } from '../rules/permissions';
import type { StepReport } from '../lab/run';
import type { ArpCacheEntry, LoopReport, MacTableEntry, TraceEvent } from '../sim/types';
import type { RunNotice } from '../sim/budget';
import { commandSchemas, type CommandArgs, type CommandType } from '../rules/commands';
import { idSchema, placeSchema } from '../lab/schema';
import type { SessionRole } from '../rules/student';
import type { ExerciseState } from './persistence';
import type { EditName, QueryName } from './names';
import {
  libraryQuerySchemas,
  type LibraryEvents,
  type LibraryQueryResults,
} from './library-contract';
import { gradingQuerySchemas, type GradingQueryResults } from './grading-contract';

/** The lab file's own id schema: every id a valid file holds can be asked about. */
const id = idSchema;
const actor = { actor: id };
/** Who opens a lab: a student doing it (the default) or a trainer authoring it. */
const role = v.optional(v.picklist(['student', 'trainer']));

/** The one setting a what-if changes (a what-if is not an edit: no P or A rule stops it). */
export const whatIfChange = v.union([
  strictObject({ adapter: id, promiscuous: v.boolean() }),
  strictObject({ vm: id, power: v.picklist(['running', 'stopped', 'suspended']) }),
  strictObject({ vm: id, stp: v.boolean() }),
]);
export type WhatIfChange = v.InferOutput<typeof whatIfChange>;

export const querySchemas = {
  'labs.list': strictObject({}),
  'lab.open': strictObject({ id, as: role }),
  'lab.openText': strictObject({
    text: v.pipe(v.string(), v.maxLength(6 * 1024 * 1024)),
    fileName: v.optional(v.pipe(v.string(), v.maxLength(500))),
    as: role,
  }),
  'lab.current': strictObject({}),
  'lab.export': strictObject({}),
  'lab.validate': strictObject({}),
  'lab.undo': strictObject({}),
  'lab.redo': strictObject({}),
  'promiscuous.face': strictObject({ actor: id, adapter: id }),
  /**
   * One step of the lab's script (`index`), steps `index`…`through` of it, an ad-hoc step
   * (`step`, as lab-format.md writes one), or the whole script, which starts from a reset so
   * it gives what `nestlab run` gives. A script step's edits (`set`, `power`, `request`,
   * `approve`, `deny`) live in the run, not in the saved lab: `traffic.reset` ends them.
   */
  'traffic.run': strictObject({
    index: v.optional(v.pipe(wholeNumber(), v.minValue(0))),
    through: v.optional(v.pipe(wholeNumber(), v.minValue(0))),
    step: v.optional(v.unknown()),
  }),
  'traffic.reset': strictObject({}),
  'sim.macTable': strictObject({ network: id }),
  'sim.learnedTable': strictObject({ device: id }),
  /** A host's ARP cache, or a gateway's by `<network>:gateway`. */
  'sim.arpCache': strictObject({ vm: placeSchema }),
  'sim.capture': strictObject({ device: id }),
  'sim.exportPcapng': strictObject({ devices: v.optional(list(id, 10_000)) }),
  'sim.loops': strictObject({}),
  /** Every table at once: each network's MAC table, each nested switch's and bridge's learned table, each host's ARP cache. */
  'sim.tables': strictObject({}),
  /** Decodes a frame's bytes layer by layer, with each field's place in the bytes (frame inspector). */
  'sim.dissect': strictObject({
    hex: v.pipe(v.string(), v.maxLength(2 * 65_535), v.regex(/^(?:[0-9a-fA-F]{2})*$/)),
  }),
  /** What a drop or warning of the trace means: its rule, what the rule says, the fix it suggests. */
  'sim.explain': strictObject({
    reason: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    rule: v.pipe(v.string(), v.minLength(1), v.maxLength(8)),
    at: placeSchema,
    /**
     * The trace's `frame` of the drop or warning, when known: the explanation then names the
     * adapter that sent it (forged-source, mac-conflict) or whose MAC it was for
     * (no-such-destination), from the trace since the last reset.
     */
    frame: v.optional(v.pipe(wholeNumber(), v.minValue(1))),
  }),
  /**
   * What-if: replays the traffic sent since the last reset on two fresh simulators, one on the
   * lab as it is and one with `change` applied, and lists the frames whose fate differs.
   */
  'traffic.compare': strictObject({ change: whatIfChange }),
  /**
   * Stops the simulation request running now (and any waiting behind it): each ends at once
   * with what it has, and a `cancelled` notice. Answered at once, whatever is running.
   */
  'traffic.cancel': strictObject({}),
  ...libraryQuerySchemas,
  ...gradingQuerySchemas,
  /** Student mode or trainer mode for the open lab ("Preview as student", "Edit as trainer"). */
  'session.setRole': strictObject({ role: v.picklist(['student', 'trainer']) }),
  /**
   * Every objective's verdict on the open attempt, recomputed as `nestlab grade` does (the
   * trainer's script and objectives over the attempt's topology), and each checkpoint's right
   * choice; the verdicts are kept with the attempt, so the home card agrees.
   */
  'exercise.status': strictObject({}),
  /** One objective in the file's form, checked on the open lab as `exercise.status` checks. */
  'exercise.try': strictObject({ objective: v.unknown() }),
  /** Shows an objective's hint; revealing it is recorded with the attempt. */
  'exercise.revealHint': strictObject({ objective: id }),
  /** The student's answer to a checkpoint (the index of the chosen choice); the first one counts. */
  'exercise.answer': strictObject({
    checkpoint: id,
    choice: v.pipe(wholeNumber(), v.minValue(0), v.maxValue(1000)),
  }),
} as const;

/** Each edit's arguments are the command's plus the acting user (P6). */
export const editSchemas = Object.fromEntries(
  Object.entries(commandSchemas).map(([name, schema]) => [
    name,
    strictObject({ ...schema.entries, ...actor }),
  ]),
) as unknown as { [K in CommandType]: v.GenericSchema<CommandArgs<K> & { actor: string }> };

export interface LabSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly fileName: string;
}

/** What the open lab's session lets its user change (student mode; a trainer has no locks). */
export interface SessionLocks {
  /** The edits that are locked, each refused with `reason` (code `locked`). */
  readonly edits: readonly CommandType[];
  /** Why, in one sentence that says what to do; empty when nothing is locked. */
  readonly reason: string;
  /** The users this session may act as. */
  readonly actors: readonly string[];
}

/** What a renderer shows of the open lab. */
export interface LabView {
  readonly lab: Lab;
  readonly revision: number;
  readonly fileName: string;
  readonly violations: readonly Violation[];
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /**
   * Which opening of an attempt this view belongs to: it changes whenever a lab is opened,
   * restarted or reopened, so a renderer starts every trace-derived view afresh.
   */
  readonly session: number;
  /** Student mode (the default for an opened lab) or trainer mode. */
  readonly role: SessionRole;
  readonly locks: SessionLocks;
  /** The attempt's checkpoint answers and the hints revealed. */
  readonly exercise: ExerciseState;
  /** Trainer mode: what the exercise editors start from. */
  readonly authoring?: Authoring;
}

/** The exercise in the lab file's own form (what `exercise.set` takes back), for its editors. */
export interface Authoring {
  readonly exercise: PlainExercise;
  /** The drop reasons a checkpoint's fate may name. */
  readonly dropReasons: readonly string[];
}

/** One objective as the exercise panel shows it. */
export interface ObjectiveStatus {
  readonly id: string;
  readonly text?: string;
  readonly passed: boolean;
  /** The verdict in a sentence (`web1 → 10.0.0.254: no reply (forged-source at lan)`). */
  readonly message: string;
  /** The objective has a hint (its text is in the lab). */
  readonly hasHint: boolean;
  readonly hintShown: boolean;
}

export type ExerciseStatus =
  | {
      readonly ok: true;
      /** The lab revision these verdicts are for. */
      readonly revision: number;
      readonly objectives: readonly ObjectiveStatus[];
      readonly score: { readonly passed: number; readonly total: number };
      readonly checkpoints: readonly CheckpointVerdict[];
      /** What the check's budgets cut (`run-truncated`). */
      readonly notices: readonly RunNotice[];
    }
  | RuleError;

/**
 * A checkpoint judged on a run: which choices are right (by the step's origin frame's fate,
 * recomputed), the student's answer and whether it is right. `rightChoices` empty: no step ran.
 */
export interface CheckpointVerdict {
  readonly id: string;
  /**
   * The right choices as `nestlab grade` judges them: the step run on the trainer's lab as
   * handed out (a student's changes to the lab change what happens, not the answer).
   */
  readonly rightChoices: readonly number[];
  /** The choices that describe what happened in this run (the lab as it is now). */
  readonly happened: readonly number[];
  readonly answer: number | null;
  /** Null until the student answered. */
  readonly correct: boolean | null;
}

/** "Try it": an objective's verdict on the lab as it is, before the trainer keeps it. */
export type TryResult =
  { readonly ok: true; readonly passed: boolean; readonly message: string } | RuleError;

export type OpenResult =
  | { readonly ok: true; readonly view: LabView }
  | { readonly ok: false; readonly message: string; readonly violations: readonly Violation[] };

export type EditOutcome = { readonly ok: true; readonly view: LabView } | RuleError;
export type ExportResult =
  { readonly ok: true; readonly text: string; readonly fileName: string } | RuleError;

/** A captured frame as the UI gets it: the bytes in hex. */
export interface CaptureRow {
  readonly t: number;
  readonly port: string;
  readonly frame: number;
  readonly origin: number;
  readonly proto: string;
  readonly src: string;
  readonly dst: string;
  readonly hex: string;
}

/** One frame copy of a traffic run: where it came from and which bytes it carries. */
export interface FrameCopyInfo {
  readonly frame: number;
  readonly origin: number;
  /** The copy it was made from; absent for the first copy a host, gateway or step sent. */
  readonly parent?: number;
  /** Index into the result's `packets`: the bytes of this copy. */
  readonly packet: number;
}

/**
 * One hop of one frame copy, for the animation: from a place to the next (places as trace
 * events name them: adapters, networks, nested switches, bridges, `<network>:gateway`,
 * external hosts). Moves are ordered by `t0`, then by the order the simulator made them.
 */
export interface FrameMove {
  /** Index into the result's `steps`. */
  readonly step: number;
  readonly frame: number;
  readonly origin: number;
  readonly proto: TraceEvent['proto'];
  readonly from: string;
  readonly to: string;
  /** Simulated microseconds: leaving `from`, arriving at `to`. */
  readonly t0: number;
  readonly t1: number;
  /** Index, in that step's `events`, of the event that happened on arrival at `to`. */
  readonly event: number;
}

export type TrafficResult =
  | {
      readonly ok: true;
      readonly steps: readonly StepReport[];
      readonly view: LabView;
      /** Every frame copy the steps' events name. */
      readonly frames: readonly FrameCopyInfo[];
      /** The distinct frames' bytes, in hex (copies share them). */
      readonly packets: readonly string[];
      readonly moves: readonly FrameMove[];
      /** What this run's budgets cut (`run-truncated`); empty when nothing was. */
      readonly notices: readonly RunNotice[];
      /** Checkpoints whose step ran in this run, judged on it. */
      readonly checkpoints: readonly CheckpointVerdict[];
      /** The script's edits changed the lab in this run (not the saved lab; Reset ends them). */
      readonly runEdited: boolean;
    }
  | RuleError
  | {
      readonly ok: false;
      readonly code: 'invalid-request';
      readonly rule: 'format';
      readonly message: string;
      readonly violations: readonly Violation[];
    };

export type { StepReport, TraceEvent, MacTableEntry, ArpCacheEntry, LoopReport };

/** A device's MAC table (a network) or learned table (a nested switch, a bridge). */
export interface DeviceTable {
  readonly device: string;
  readonly kind: 'network' | 'switch' | 'bridge';
  readonly rows: readonly MacTableEntry[];
}

/** Every table of the simulation, in lab order (hosts: the VMs with an IP address). */
export interface SimTables {
  readonly macTables: readonly DeviceTable[];
  readonly learned: readonly DeviceTable[];
  readonly arp: readonly { readonly vm: string; readonly rows: readonly ArpCacheEntry[] }[];
}

/** One field of a decoded frame and where it lies in the bytes. */
export interface FrameField {
  readonly name: string;
  /** As a person reads it: `02:00:00:00:01:01`, `10.0.0.1`, `0x0800 (IPv4)`, `64`. */
  readonly value: string;
  /** Byte offset and length in the frame (a bit field covers the bytes that hold it). */
  readonly offset: number;
  readonly length: number;
}

export interface FrameLayer {
  /** 'Ethernet II', 'ARP', 'IPv4', 'ICMP', 'Payload'. */
  readonly name: string;
  /** One line, like a packet list's info column. */
  readonly summary: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly FrameField[];
}

export interface Dissection {
  readonly length: number;
  readonly layers: readonly FrameLayer[];
}

/** What a drop or warning means and how to change the outcome. */
export interface RuleExplanation {
  readonly rule: string;
  /** The rule's name: 'Forged source MAC', 'Host NIC filter'. */
  readonly title: string;
  /** What the rule says, in plain words (from semantics.md). */
  readonly text: string;
  /** The fix it suggests, when the lab can change the outcome. */
  readonly fix?: string;
  /** The item to change for that fix, to select in the editor. */
  readonly fixAt?: { readonly kind: 'adapter' | 'vm' | 'network' | 'switch'; readonly id: string };
}

/** How the copies of one frame ended: where they were delivered and where they were dropped. */
export interface FrameFate {
  readonly delivered: readonly string[];
  readonly dropped: readonly {
    readonly at: string;
    readonly reason: string;
    readonly rule: string;
  }[];
}

/** One frame (an origin) whose fate differs between the lab as it is and the what-if. */
export interface FateDifference {
  /** The step of the replayed traffic (0-based, in the order it was sent) and its summary. */
  readonly step: number;
  readonly stepSummary: string;
  readonly proto: TraceEvent['proto'];
  readonly src: string;
  readonly dst: string;
  /** Absent when the frame was not sent at all on that side. */
  readonly before?: FrameFate;
  readonly after?: FrameFate;
}

export type CompareResult =
  | {
      readonly ok: true;
      /** The change in one sentence: "esxi-nic0 promiscuous (was off)". */
      readonly change: string;
      /** How many steps were replayed. */
      readonly steps: number;
      readonly differences: readonly FateDifference[];
      /** What the replays' budgets cut (`run-truncated`): differences past it are not known. */
      readonly notices: readonly RunNotice[];
    }
  | RuleError;

export interface QueryResults {
  'labs.list': readonly LabSummary[];
  'lab.open': OpenResult;
  'lab.openText': OpenResult;
  'lab.current': LabView | null;
  'lab.export': ExportResult;
  'lab.validate': readonly Violation[];
  'lab.undo': EditOutcome;
  'lab.redo': EditOutcome;
  'promiscuous.face': FaceResult;
  'traffic.run': TrafficResult;
  'traffic.reset': { readonly ok: true } | RuleError;
  'sim.macTable': readonly MacTableEntry[] | RuleError;
  'sim.learnedTable': readonly MacTableEntry[] | RuleError;
  'sim.arpCache': readonly ArpCacheEntry[] | RuleError;
  'sim.capture': readonly CaptureRow[] | RuleError;
  'sim.exportPcapng':
    { readonly ok: true; readonly fileName: string; readonly base64: string } | RuleError;
  'sim.loops': readonly LoopReport[] | RuleError;
  'sim.tables': SimTables | RuleError;
  'sim.dissect': Dissection | RuleError;
  'sim.explain': RuleExplanation | RuleError;
  'traffic.compare': CompareResult;
  'traffic.cancel': { readonly ok: true };
  'library.list': LibraryQueryResults['library.list'];
  'lab.import': LibraryQueryResults['lab.import'];
  'attempt.restart': LibraryQueryResults['attempt.restart'];
  'attempt.export': LibraryQueryResults['attempt.export'];
  'settings.get': LibraryQueryResults['settings.get'];
  'settings.set': LibraryQueryResults['settings.set'];
  'session.setRole': { readonly ok: true; readonly view: LabView } | RuleError;
  'exercise.status': ExerciseStatus;
  'exercise.try': TryResult;
  'exercise.revealHint': { readonly ok: true; readonly view: LabView } | RuleError;
  'exercise.answer': { readonly ok: true; readonly view: LabView } | RuleError;
  'grade.attempt': GradingQueryResults['grade.attempt'];
}

/** A query's arguments as a caller writes them; none at all for the argument-less ones. */
type QueryArgs<K extends QueryName> = keyof v.InferInput<(typeof querySchemas)[K]> extends never
  ? Record<string, never>
  : v.InferInput<(typeof querySchemas)[K]>;

export type ArgsOf<K extends QueryName | EditName> = K extends QueryName
  ? QueryArgs<K>
  : K extends CommandType
    ? CommandArgs<K> & { actor: string }
    : never;

export type ResultOf<K extends QueryName | EditName> = K extends QueryName
  ? QueryResults[K]
  : EditOutcome;

export interface ApiEvents {
  'lab.changed': LabView;
  'attempt.opened': LibraryEvents['attempt.opened'];
  'attempt.saved': LibraryEvents['attempt.saved'];
}

/** The client both transports implement: the preload in Electron, a WebSocket under the web host. */
export interface ApiClient {
  call<K extends QueryName | EditName>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>>;
  onEvent<E extends keyof ApiEvents>(
    event: E,
    listener: (payload: ApiEvents[E]) => void,
  ): () => void;
}

// Compile-time proof that names.ts lists exactly the entries that have schemas.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const queriesAgree: Same<QueryName, keyof typeof querySchemas> = true;
const editsAgree: Same<EditName, CommandType> = true;
void queriesAgree;
void editsAgree;
