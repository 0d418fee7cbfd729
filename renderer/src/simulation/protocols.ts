/**
 * How a frame looks in flight: a colour and a shape per protocol, so the legend, the
 * overlay and the event list agree, and the shape tells protocols apart without colour.
 */
export type FrameShape = 'diamond' | 'circle' | 'square' | 'triangle';

export interface ProtocolStyle {
  readonly label: string;
  readonly colour: string;
  readonly shape: FrameShape;
}

const STYLES: Readonly<Record<string, ProtocolStyle>> = {
  arp: { label: 'ARP', colour: '#d97706', shape: 'diamond' },
  icmp: { label: 'ICMP', colour: '#2563eb', shape: 'circle' },
  ipv4: { label: 'IPv4', colour: '#7c3aed', shape: 'square' },
};

const OTHER: ProtocolStyle = { label: 'Other', colour: '#64748b', shape: 'triangle' };

export function protocolStyle(proto: string): ProtocolStyle {
  return STYLES[proto] ?? OTHER;
}

/** The legend's entries, in a fixed order. */
export const LEGEND: readonly ProtocolStyle[] = [...Object.values(STYLES), OTHER];

export const DELIVERED_COLOUR = '#2f8a57';
export const DROPPED_COLOUR = '#c62828';

/** Draws a frame's shape centred on (x, y) with half-size r. */
export function traceShape(
  ctx: CanvasRenderingContext2D,
  shape: FrameShape,
  x: number,
  y: number,
  r: number,
): void {
  ctx.beginPath();
  switch (shape) {
    case 'diamond':
      ctx.moveTo(x, y - r * 1.25);
      ctx.lineTo(x + r * 1.25, y);
      ctx.lineTo(x, y + r * 1.25);
      ctx.lineTo(x - r * 1.25, y);
      break;
    case 'circle':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      break;
    case 'square':
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
      break;
    case 'triangle':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.15, y + r * 0.9);
      ctx.lineTo(x - r * 1.15, y + r * 0.9);
      break;
  }
  ctx.closePath();
}
