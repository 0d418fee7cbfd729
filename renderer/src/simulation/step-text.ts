/** A traffic script step in words, as the script panel lists it. */
import type { TrafficStep } from '../../../core/model/lab';

export function stepText(step: TrafficStep): string {
  switch (step.kind) {
    case 'ping':
      return `ping ${step.from} → ${step.to}${step.count > 1 ? ` ×${step.count}` : ''}`;
    case 'frame':
      return `frame from ${step.from}: ${step.src} → ${step.dst} (${step.type})`;
    case 'garp':
      return `gratuitous ARP from ${step.from}: ${step.ip} is at ${step.mac}`;
    case 'power':
      return `power ${step.vm} ${step.state}`;
    case 'set': {
      const what = step.adapter ?? step.user ?? step.vm ?? '';
      const value =
        step.promiscuous !== undefined
          ? `promiscuous ${step.promiscuous ? 'on' : 'off'}`
          : `nested virtualization ${step.nestedVirtualization ? 'on' : 'off'}`;
      return `${step.actor} sets ${what} ${value}`;
    }
    case 'request':
      return `${step.actor} requests the promiscuous feature`;
    case 'approve':
      return 'the provider approves the request';
    case 'deny':
      return 'the provider denies the request';
    case 'wait':
      return `wait ${step.seconds} s`;
  }
}
