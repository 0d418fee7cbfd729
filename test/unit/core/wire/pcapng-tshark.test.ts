/**
 * Semantics §4: "Any capture exports as pcapng that Wireshark and tshark open and dissect
 * cleanly." This test writes a capture with core/wire and reads it back with the real tshark.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapngWriter } from '../../../../core/wire/pcapng';
import {
  ARP_REPLY,
  ARP_REQUEST,
  ECHO_REPLY,
  ECHO_REQUEST,
  GATEWAY_MAC,
  HOST_MAC,
} from './fixtures';

const tsharkFound = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).error === undefined;
/** CI=true (GitHub Actions, GitLab, …); CI=false or 0 means a developer opted out. */
const onCi = !['', '0', 'false'].includes(process.env.CI ?? '');
const INSTALL_HINT = 'tshark must be installed to check pcapng export (apt-get install tshark)';

const FIELDS = [
  'frame.interface_name',
  'frame.time_epoch',
  'eth.src',
  'arp.opcode',
  'icmp.type',
  'ip.checksum.status',
  'icmp.checksum.status',
  'frame.comment',
];

/** Wireshark's checksum status values (epan/proto.h PROTO_CHECKSUM_E_GOOD is 1). */
const GOOD = '1';

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function writeCapture(dir: string): string {
  const writer = new PcapngWriter();
  const br = writer.addInterface('br');
  const server = writer.addInterface('server');
  writer.addPacket(br, 1_000_000, ARP_REQUEST, 'who has 192.168.1.1');
  writer.addPacket(server, 1_000_250, ARP_REPLY);
  writer.addPacket(br, 1_500_000, ECHO_REQUEST);
  writer.addPacket(server, 1_500_125, ECHO_REPLY);
  const file = join(dir, 'capture.pcapng');
  writeFileSync(file, writer.toBytes());
  return file;
}

describe('pcapng read back by tshark', () => {
  const why = tsharkFound
    ? ''
    : onCi
      ? ''
      : ' (skipped: tshark is not on PATH; apt-get install tshark)';

  it.skipIf(!tsharkFound && !onCi)(`decodes ARP and ICMP with good checksums${why}`, () => {
    if (!tsharkFound) throw new Error(INSTALL_HINT);
    const dir = mkdtempSync(join(tmpdir(), 'nestlab-pcapng-'));
    try {
      const file = writeCapture(dir);
      const fieldArgs = FIELDS.flatMap((field) => ['-e', field]);
      const output = tshark([
        '-r',
        file,
        '-o',
        'ip.check_checksum:TRUE',
        '-T',
        'fields',
        ...fieldArgs,
      ]);
      const rows = output
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => line.split('\t'));
      expect(rows).toEqual([
        ['br', '1.000000000', HOST_MAC, '1', '', '', '', 'who has 192.168.1.1'],
        ['server', '1.000250000', GATEWAY_MAC, '2', '', '', '', ''],
        ['br', '1.500000000', HOST_MAC, '', '8', GOOD, GOOD, ''],
        ['server', '1.500125000', GATEWAY_MAC, '', '0', GOOD, GOOD, ''],
      ]);
      const malformed = tshark([
        '-r',
        file,
        '-o',
        'ip.check_checksum:TRUE',
        '-Y',
        '_ws.malformed || _ws.expert.severity >= warning',
      ]);
      expect(malformed.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
