/**
 * The one contract between UI and core (architecture.md): every command and query with
 * its argument schema (re-validated at runtime by main and the web host) and its result
 * type, and the events the core pushes. Expected failures are values, never exceptions.
 */
import { z } from 'zod';
import type { Lab, RuleError, Violation } from '../model';
import type { FaceResult } from '../rules/permissions';
import type { StepReport } from '../lab/run';
import type { ArpCacheEntry, LoopReport, MacTableEntry, TraceEvent } from '../sim/types';
import { commandSchemas, type CommandArgs, type CommandType } from '../rules/commands';
import type { EditName, QueryName } from './names';
import {
  libraryQuerySchemas,
  type LibraryEvents,
  type LibraryQueryResults,
} from './library-contract';

const id = z.string().min(1).max(200);
const actor = z.strictObject({ actor: id });

export const querySchemas = {
  'labs.list': z.strictObject({}),
  'lab.open': z.strictObject({ id }),
  'lab.openText': z.strictObject({
    text: z.string().max(6 * 1024 * 1024),
    fileName: z.string().max(500).optional(),
  }),
  'lab.current': z.strictObject({}),
  'lab.export': z.strictObject({}),
  'lab.validate': z.strictObject({}),
  'lab.undo': z.strictObject({}),
  'lab.redo': z.strictObject({}),
  'promiscuous.face': z.strictObject({ actor: id, adapter: id }),
  /** One step of the lab's script (`index`), an ad-hoc step (`step`, as lab-format.md writes one), or the whole script. */
  'traffic.run': z.strictObject({
    index: z.number().int().min(0).optional(),
    step: z.unknown().optional(),
  }),
  'traffic.reset': z.strictObject({}),
  'sim.macTable': z.strictObject({ network: id }),
  'sim.learnedTable': z.strictObject({ device: id }),
  'sim.arpCache': z.strictObject({ vm: id }),
  'sim.capture': z.strictObject({ device: id }),
  'sim.exportPcapng': z.strictObject({ devices: z.array(id).max(10_000).optional() }),
  'sim.loops': z.strictObject({}),
  ...libraryQuerySchemas,
} as const;

/** Each edit's arguments are the command's plus the acting user (P6). */
export const editSchemas = Object.fromEntries(
  Object.entries(commandSchemas).map(([name, schema]) => [name, schema.extend(actor.shape)]),
) as unknown as { [K in CommandType]: z.ZodType<CommandArgs<K> & { actor: string }> };

export interface LabSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly fileName: string;
}

/** What a renderer shows of the open lab. */
export interface LabView {
  readonly lab: Lab;
  readonly revision: number;
  readonly fileName: string;
  readonly violations: readonly Violation[];
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

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

export type TrafficResult =
  | { readonly ok: true; readonly steps: readonly StepReport[]; readonly view: LabView }
  | RuleError
  | {
      readonly ok: false;
      readonly code: 'invalid-request';
      readonly rule: 'format';
      readonly message: string;
      readonly violations: readonly Violation[];
    };

export type { StepReport, TraceEvent, MacTableEntry, ArpCacheEntry, LoopReport };

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
  'library.list': LibraryQueryResults['library.list'];
  'lab.import': LibraryQueryResults['lab.import'];
  'attempt.restart': LibraryQueryResults['attempt.restart'];
  'attempt.export': LibraryQueryResults['attempt.export'];
  'settings.get': LibraryQueryResults['settings.get'];
  'settings.set': LibraryQueryResults['settings.set'];
}

export type ArgsOf<K extends QueryName | EditName> = K extends QueryName
  ? z.input<(typeof querySchemas)[K]>
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
