/**
 * Static validity (semantics.md §2, "Static validity"): the rules that describe a state,
 * checked on every saved or imported lab. A2 and P5 are preconditions of edits only and are
 * not checked here: a lab may start with a running VM whose adapter is promiscuous. Every
 * violation carries the path of the offending field.
 */
import type { Adapter, Lab, Violation, Vm } from '../model';
import { hasDefaultCast } from '../model';
import { Mac } from '../wire/mac';
import { Ipv4Address, parseCidr, inSubnet } from '../wire/ipv4-address';
import { validateScript } from './validate-script';
import { validateExercise } from './validate-exercise';

type Push = (v: Omit<Violation, 'severity'> & { severity?: Violation['severity'] }) => void;

interface VmVisit {
  readonly vm: Vm;
  readonly parent: Vm | null;
  readonly path: string;
}

export function validateLab(lab: Lab): Violation[] {
  const out: Violation[] = [];
  // Keys in the order of lab-format.md's `--json`: code, rule, path, severity, message.
  const push: Push = ({ code, rule, path, severity, message }) =>
    out.push({ code, rule, path, severity: severity ?? 'error', message });
  const visits = listVms(lab);
  checkIds(lab, visits, push);
  checkAddresses(lab, visits, push);
  checkAttachments(lab, visits, push);
  checkPromiscuous(lab, visits, push);
  checkNesting(visits, push);
  validateScript(lab, push);
  validateExercise(lab, push);
  return out;
}

function listVms(lab: Lab): VmVisit[] {
  const out: VmVisit[] = [];
  const visit = (vm: Vm, parent: Vm | null, path: string): void => {
    out.push({ vm, parent, path });
    vm.nested.forEach((child, i) => visit(child, vm, `${path}.nested[${i}]`));
  };
  lab.vms.forEach((vm, i) => visit(vm, null, `vms[${i}]`));
  return out;
}

/** A6: ids are unique across everything that has one; user names are unique too. */
function checkIds(lab: Lab, visits: VmVisit[], push: Push): void {
  const seen = new Map<string, string>();
  const claim = (id: string, path: string): void => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, path);
    else
      push({
        code: 'duplicate-id',
        rule: 'A6',
        path: `${path}.id`,
        message: `The id "${id}" is already used by ${first}; give this one another id.`,
      });
  };
  lab.networks.forEach((n, i) => claim(n.id, `networks[${i}]`));
  lab.external.forEach((h, i) => claim(h.id, `external[${i}]`));
  for (const { vm, path } of visits) {
    claim(vm.id, path);
    vm.adapters.forEach((a, i) => claim(a.id, `${path}.adapters[${i}]`));
    vm.switches.forEach((s, i) => claim(s.id, `${path}.switches[${i}]`));
  }
  const names = new Set<string>();
  lab.users.forEach((u, i) => {
    if (names.has(u.name))
      push({
        code: 'duplicate-id',
        rule: 'A6',
        path: `users[${i}].name`,
        message: `There are two users named "${u.name}"; rename one.`,
      });
    names.add(u.name);
  });
  if (!names.has(lab.actingUser))
    push({
      code: 'not-found',
      rule: 'P6',
      path: 'actingUser',
      message: `The acting user "${lab.actingUser}" is not in \`users\`; name one of: ${[...names].join(', ')}.`,
    });
}

function badAddress(
  path: string,
  what: string,
  value: string,
  example: string,
): Parameters<Push>[0] {
  return {
    code: 'invalid-address',
    rule: 'A6',
    path,
    message: `"${value}" is not a valid ${what}; write it like ${example}.`,
  };
}

/** A6: MACs are unicast and unique; addresses parse; an IP outside its subnet is a warning. */
function checkAddresses(lab: Lab, visits: VmVisit[], push: Push): void {
  const subnets = new Map<string, ReturnType<typeof parseCidr>>();
  lab.networks.forEach((n, i) => {
    const subnet = n.subnet === undefined ? null : parseCidr(n.subnet);
    if (n.subnet !== undefined && !subnet)
      push(badAddress(`networks[${i}].subnet`, 'subnet', n.subnet, '10.0.0.0/24'));
    if (!subnets.has(n.id)) subnets.set(n.id, subnet);
    if (n.gateway === undefined) return;
    const gw = Ipv4Address.parse(n.gateway);
    if (!gw) push(badAddress(`networks[${i}].gateway`, 'gateway IP', n.gateway, '10.0.0.254'));
    else if (subnet && !inSubnet(gw, subnet))
      push({
        code: 'invalid-address',
        rule: 'A6',
        severity: 'warning',
        path: `networks[${i}].gateway`,
        message: `The gateway ${n.gateway} is outside the subnet ${n.subnet}.`,
      });
  });
  lab.external.forEach((h, i) => {
    if (!Ipv4Address.parse(h.ip))
      push(badAddress(`external[${i}].ip`, 'IP address', h.ip, '203.0.113.10'));
  });
  const macs = new Map<number, string>();
  for (const { vm, path } of visits) {
    vm.adapters.forEach((a, i) =>
      checkAdapterAddresses(a, `${path}.adapters[${i}]`, macs, subnets, push),
    );
    vm.virtualMacs.forEach((text, i) => {
      const mac = Mac.parse(text);
      if (!mac)
        push(badAddress(`${path}.virtualMacs[${i}]`, 'MAC address', text, '00:00:5e:00:01:0a'));
      else if (!mac.isUnicast())
        push({
          code: 'invalid-address',
          rule: 'A6',
          path: `${path}.virtualMacs[${i}]`,
          message: `${text} is a multicast MAC; a virtual MAC must be unicast.`,
        });
    });
    vm.virtualIps.forEach((text, i) => {
      if (!Ipv4Address.parse(text))
        push(badAddress(`${path}.virtualIps[${i}]`, 'IP address', text, '10.0.0.100'));
    });
  }
}

function bareAddress(text: string): { address: Ipv4Address } | null {
  const address = Ipv4Address.parse(text);
  return address ? { address } : null;
}

function checkAdapterAddresses(
  a: Adapter,
  path: string,
  macs: Map<number, string>,
  subnets: Map<string, ReturnType<typeof parseCidr>>,
  push: Push,
): void {
  const mac = Mac.parse(a.mac);
  if (!mac) push(badAddress(`${path}.mac`, 'MAC address', a.mac, '02:00:00:00:00:01'));
  else if (!mac.isUnicast())
    push({
      code: 'invalid-address',
      rule: 'A6',
      path: `${path}.mac`,
      message: `${a.mac} is a multicast MAC; an adapter's MAC must be unicast (first byte even).`,
    });
  else {
    const first = macs.get(mac.value);
    if (first !== undefined)
      push({
        code: 'duplicate-mac',
        rule: 'A6',
        path: `${path}.mac`,
        message: `The MAC ${a.mac} is already used by ${first}; MACs must be unique in the environment.`,
      });
    else macs.set(mac.value, path);
  }
  if (a.ip !== undefined) {
    // `10.0.0.10/24`, or a bare address that takes its network's prefix.
    const ip = parseCidr(a.ip) ?? bareAddress(a.ip);
    if (!ip) push(badAddress(`${path}.ip`, 'IP address', a.ip, '10.0.0.10/24'));
    const subnet = a.network !== undefined ? subnets.get(a.network) : undefined;
    if (ip && subnet && !inSubnet(ip.address, subnet))
      push({
        code: 'invalid-address',
        rule: 'A6',
        severity: 'warning',
        path: `${path}.ip`,
        message: `${a.ip} is outside the subnet of ${a.network} (${subnet.address.toString()}/${subnet.prefix}); fine on a bridged segment, otherwise a typo.`,
      });
  }
  if (a.gateway !== undefined && !Ipv4Address.parse(a.gateway))
    push(badAddress(`${path}.gateway`, 'gateway IP', a.gateway, '10.0.0.254'));
}

/** A7: a VM's adapters attach to networks, a nested VM's to its own hypervisor's switches. */
function checkAttachments(lab: Lab, visits: VmVisit[], push: Push): void {
  const networks = new Set(lab.networks.map((n) => n.id));
  for (const { vm, parent, path } of visits) {
    const own = new Set(parent?.switches.map((s) => s.id) ?? []);
    vm.adapters.forEach((a, i) => {
      const at = `${path}.adapters[${i}]`;
      if (a.network !== undefined && a.switch !== undefined)
        push({
          code: 'invalid-request',
          rule: 'A7',
          path: at,
          message: `${a.id} names both a network and a switch; an adapter attaches to one of them.`,
        });
      else if (a.network !== undefined && parent)
        push({
          code: 'invalid-request',
          rule: 'A7',
          path: `${at}.network`,
          message: `${a.id} belongs to nested VM ${vm.id}, so it attaches to a switch of ${parent.id}, not to a network.`,
        });
      else if (a.network !== undefined && !networks.has(a.network))
        push({
          code: 'not-found',
          rule: 'A7',
          path: `${at}.network`,
          message: `There is no network "${a.network}"; name one of the lab's networks.`,
        });
      else if (a.switch !== undefined && !parent)
        push({
          code: 'invalid-request',
          rule: 'A7',
          path: `${at}.switch`,
          message: `${a.id} belongs to top-level VM ${vm.id}, so it attaches to a network; only nested VMs use switches.`,
        });
      else if (a.switch !== undefined && parent && !own.has(a.switch))
        push({
          code: 'invalid-request',
          rule: 'A7',
          path: `${at}.switch`,
          message: `"${a.switch}" is not a switch of ${parent.id}; a nested VM's adapter attaches to a switch of its own hypervisor.`,
        });
    });
    const uplinks = new Map<string, string>();
    vm.switches.forEach((s, i) => {
      if (s.uplink === undefined) return;
      const at = `${path}.switches[${i}].uplink`;
      if (!vm.adapters.some((a) => a.id === s.uplink))
        push({
          code: 'invalid-request',
          rule: 'A7',
          path: at,
          message: `The uplink "${s.uplink}" is not an adapter of ${vm.id}; a switch's uplink is one of its hypervisor's adapters.`,
        });
      else if (uplinks.has(s.uplink))
        push({
          code: 'invalid-request',
          rule: 'A7',
          path: at,
          message: `${s.uplink} is already the uplink of ${uplinks.get(s.uplink) ?? 'another switch'}; an adapter is the uplink of at most one switch.`,
        });
      else uplinks.set(s.uplink, s.id);
    });
  }
}

/** P2, A3, A4 on the promiscuous flags a lab holds. */
function checkPromiscuous(lab: Lab, visits: VmVisit[], push: Push): void {
  const enabled = lab.account.promiscuousMode === 'enabled';
  // The implied trainer of a file without `users` holds the permission by definition.
  if (!enabled && !hasDefaultCast(lab))
    lab.users.forEach((u, i) => {
      if (u.promiscuous)
        push({
          code: 'feature-disabled',
          rule: 'P2',
          severity: 'warning',
          path: `users[${i}].promiscuous`,
          message: `${u.name} holds the promiscuous permission, but the account's feature is ${lab.account.promiscuousMode}; the permission has no effect until it is enabled.`,
        });
    });
  for (const { vm, path } of visits) {
    const segments = new Set<string>();
    vm.adapters.forEach((a, i) => {
      if (!a.promiscuous) return;
      // The adapter is the offender (lab-format.md's example reports A3 at `vms[0].adapters[1]`).
      const at = `${path}.adapters[${i}]`;
      if (!enabled)
        push({
          code: 'feature-disabled',
          rule: 'P2',
          path: at,
          message: `${a.id} is promiscuous, but the account's promiscuous-mode feature is ${lab.account.promiscuousMode}; request and enable it first, or set promiscuous: false.`,
        });
      if (vm.arch === 'power')
        push({
          code: 'unsupported-architecture',
          rule: 'A4',
          path: at,
          message: `${vm.id} is a Power VM; Power VMs cannot use promiscuous mode.`,
        });
      const segment =
        a.network !== undefined
          ? `n:${a.network}`
          : a.switch !== undefined
            ? `s:${a.switch}`
            : undefined;
      if (segment === undefined) return;
      if (segments.has(segment))
        push({
          code: 'one-per-network',
          rule: 'A3',
          path: at,
          message: `${vm.id} already has a promiscuous adapter on ${a.network ?? a.switch}; at most one adapter per VM per network may be promiscuous.`,
        });
      segments.add(segment);
    });
  }
}

/** A5: nested VMs and switches need the nesting box; Power VMs cannot have it. */
function checkNesting(visits: VmVisit[], push: Push): void {
  for (const { vm, path } of visits) {
    if (vm.arch === 'power' && vm.nestedVirtualization)
      push({
        code: 'unsupported-architecture',
        rule: 'A5',
        path: `${path}.nestedVirtualization`,
        message: `${vm.id} is a Power VM; Power VMs cannot have nested virtualization.`,
      });
    if (vm.nestedVirtualization) continue;
    if (vm.switches.length > 0)
      push({
        code: 'nested-virtualization-required',
        rule: 'A5',
        path: `${path}.switches`,
        message: `${vm.id} has nested switches but nested virtualization is off; tick nestedVirtualization: true.`,
      });
    if (vm.nested.length > 0)
      push({
        code: 'nested-virtualization-required',
        rule: 'A5',
        path: `${path}.nested`,
        message: `${vm.id} hosts nested VMs but nested virtualization is off; tick nestedVirtualization: true.`,
      });
  }
}
