/**
 * The service that implements the contract: it holds the open lab, applies edits through
 * the rules, keeps undo/redo history, and tells listeners when the lab changed. It is pure
 * (no disk, no socket): the hosts (Electron main, the web host) inject the lab library and
 * carry calls and events over their transport. Every argument is re-validated here.
 */
import type { Lab, RuleError } from '../model';
import { ruleError } from '../model';
import { parseLab, isValid } from '../lab/parse';
import { validateLab } from '../lab/validate';
import { serializeLab } from '../lab/serialize';
import { applyEdit, parseCommand } from '../rules/apply';
import { promiscuousFace } from '../rules/permissions';
import { isCommandType } from '../rules/commands';
import {
  querySchemas,
  type ApiEvents,
  type EditOutcome,
  type LabSummary,
  type LabView,
  type OpenResult,
  type QueryResults,
} from './contract';
import { isContractName, type ContractName } from './names';
import { TrafficSession } from './traffic-session';

/** Where built-in and imported labs come from; core/node implements it over the disk. */
export interface LabLibrary {
  list(): readonly LabSummary[];
  read(id: string): { readonly text: string; readonly fileName: string } | undefined;
}

type Listener = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

const HISTORY_LIMIT = 500;

export class NestlabService {
  private lab: Lab | null = null;
  private traffic: TrafficSession | null = null;
  private fileName = 'untitled.lab.yaml';
  private revision = 0;
  private undoStack: Lab[] = [];
  private redoStack: Lab[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(private readonly library: LabLibrary) {}

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The one door: untrusted name and arguments in, a result value out. */
  call(name: unknown, args: unknown): unknown {
    if (!isContractName(name))
      return ruleError('invalid-request', 'P6', `Unknown api entry ${JSON.stringify(name)}.`);
    if (isCommandType(name)) return this.edit(name, args);
    return this.query(name, args);
  }

  private query(name: ContractName, args: unknown): unknown {
    if (!(name in querySchemas))
      return ruleError('invalid-request', 'P6', `Unknown api entry "${name}".`);
    const schema = querySchemas[name as keyof typeof querySchemas];
    const parsed = schema.safeParse(args ?? {});
    if (!parsed.success)
      return ruleError(
        'invalid-request',
        'P6',
        `Bad arguments for ${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
      );
    const a = parsed.data as Record<string, string>;
    if (name.startsWith('traffic.') || name.startsWith('sim.'))
      return this.simQuery(name, parsed.data as Record<string, unknown>);
    switch (name as keyof QueryResults) {
      case 'labs.list':
        return this.library.list();
      case 'lab.open':
        return this.openSample(a.id ?? '');
      case 'lab.openText':
        return this.openText(a.text ?? '', a.fileName ?? 'untitled.lab.yaml');
      case 'lab.current':
        return this.view();
      case 'lab.export':
        return this.exportLab();
      case 'lab.validate':
        return this.lab ? validateLab(this.lab) : [];
      case 'lab.undo':
        return this.travel(this.undoStack, this.redoStack, 'undo');
      case 'lab.redo':
        return this.travel(this.redoStack, this.undoStack, 'redo');
      case 'promiscuous.face':
        return this.lab ? promiscuousFace(this.lab, a.actor ?? '', a.adapter ?? '') : noLab();
    }
    return ruleError('invalid-request', 'P6', `Unknown api entry "${name}".`);
  }

  private simQuery(name: ContractName, a: Record<string, unknown>): unknown {
    const lab = this.lab;
    if (!lab) return noLab();
    this.traffic ??= new TrafficSession(lab);
    const session = this.traffic;
    const text = (key: string): string => String(a[key] ?? '');
    switch (name) {
      case 'traffic.run': {
        const outcome = session.run(a.index as number | undefined, a.step);
        if (!outcome.ok) return outcome;
        if (outcome.lab !== lab) this.commit(outcome.lab);
        return { ok: true, steps: outcome.steps, view: this.view() };
      }
      case 'traffic.reset':
        session.reset();
        return { ok: true };
      case 'sim.macTable':
        return session.macTable(text('network'));
      case 'sim.learnedTable':
        return session.learnedTable(text('device'));
      case 'sim.arpCache':
        return session.arpCache(text('vm'));
      case 'sim.capture':
        return session.capture(text('device'));
      case 'sim.exportPcapng':
        return session.exportPcapng(a.devices as string[] | undefined);
      case 'sim.loops':
        return session.loops();
      default:
        return ruleError('invalid-request', 'P6', `Unknown api entry "${name}".`);
    }
  }

  /** Makes `next` the current lab (an accepted edit) and tells listeners. */
  private commit(next: Lab): LabView {
    if (this.lab) {
      this.undoStack.push(this.lab);
      if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    }
    this.redoStack = [];
    this.setCurrent(next);
    return this.changed();
  }

  private setCurrent(next: Lab): void {
    this.lab = next;
    this.traffic?.setLab(next);
    this.revision += 1;
  }

  private openSample(id: string): OpenResult {
    const file = this.library.read(id);
    if (!file) return { ok: false, message: `There is no built-in lab "${id}".`, violations: [] };
    return this.openText(file.text, file.fileName);
  }

  /** Opens a lab only if it is valid: nothing is ever half-loaded. */
  openText(text: string, fileName: string): OpenResult {
    const parsed = parseLab(text);
    if (!parsed.ok || !isValid(parsed)) {
      const errors = parsed.violations.filter((v) => v.severity === 'error');
      return {
        ok: false,
        message: `${fileName} is not a valid lab (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was opened.`,
        violations: parsed.violations,
      };
    }
    this.lab = parsed.lab;
    this.traffic = null;
    this.fileName = fileName;
    this.undoStack = [];
    this.redoStack = [];
    this.revision += 1;
    return { ok: true, view: this.changed() };
  }

  private edit(name: string, args: unknown): EditOutcome {
    if (!this.lab) return noLab();
    const { actor, ...rest } = (typeof args === 'object' && args !== null ? args : {}) as Record<
      string,
      unknown
    >;
    if (typeof actor !== 'string')
      return ruleError('invalid-request', 'P6', `${name} needs the acting user (actor).`);
    const command = parseCommand(name, rest);
    if (!command.ok) return command;
    const result = applyEdit(this.lab, actor, command.command);
    if (!result.ok) return result;
    return { ok: true, view: this.commit(result.lab) };
  }

  private travel(from: Lab[], to: Lab[], what: string): EditOutcome {
    const target = from.pop();
    if (!this.lab || !target)
      return ruleError('invalid-request', 'P6', `There is nothing to ${what}.`);
    to.push(this.lab);
    this.setCurrent(target);
    return { ok: true, view: this.changed() };
  }

  private exportLab(): QueryResults['lab.export'] {
    if (!this.lab) return noLab();
    return { ok: true, text: serializeLab(this.lab), fileName: this.fileName };
  }

  view(): LabView | null {
    if (!this.lab) return null;
    return {
      lab: this.lab,
      revision: this.revision,
      fileName: this.fileName,
      violations: validateLab(this.lab),
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
    };
  }

  private changed(): LabView {
    const view = this.view();
    if (!view) throw new Error('changed() without a lab');
    for (const listener of this.listeners) listener('lab.changed', view);
    return view;
  }
}

function noLab(): RuleError {
  return ruleError('invalid-request', 'P6', 'No lab is open; open a lab first.');
}
