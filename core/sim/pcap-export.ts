/**
 * Exports captures as pcapng (through core/wire's writer): one interface per capture point,
 * named after it, packets in simulated time order with their simulated timestamps. Each packet's
 * comment names the port it was seen on and its frame and origin ids, so a packet in Wireshark
 * can be matched to the trace.
 */
import { PcapngWriter } from '../wire/pcapng';
import type { Simulation } from './simulation';

export function exportPcapng(sim: Simulation, deviceIds?: readonly string[]): Uint8Array {
  const writer = new PcapngWriter();
  const packets: { iface: number; t: number; frame: number; bytes: Uint8Array; comment: string }[] =
    [];
  for (const id of deviceIds ?? sim.capturePoints()) {
    const iface = writer.addInterface(id);
    for (const f of sim.captures(id)) {
      const comment = `${f.port}: frame ${f.frame}, origin ${f.origin}`;
      packets.push({ iface, t: f.t, frame: f.frame, bytes: f.bytes, comment });
    }
  }
  packets.sort((a, b) => a.t - b.t || a.frame - b.frame || a.iface - b.iface);
  for (const p of packets) writer.addPacket(p.iface, p.t, p.bytes, p.comment);
  return writer.toBytes();
}
