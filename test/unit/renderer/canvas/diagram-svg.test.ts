/**
 * The diagram's export (renderer/src/canvas/diagram-svg.ts, svg-shapes.ts and the pure parts
 * of diagram-export.ts): labels are SVG text, escaped, wrapped as cytoscape wraps them;
 * hypervisor boxes lie under the links and the other nodes over them; the document has a
 * margin around the drawing; node outlines follow cytoscape's shapes; files are named after
 * the lab; the PNG is twice the size unless that would be too many pixels.
 */
import { describe, expect, it } from 'vitest';
import {
  diagramFileName,
  MAX_PNG_PIXELS,
  PNG_SCALE,
  pngScale,
} from '../../../../renderer/src/canvas/diagram-files';
import {
  DIAGRAM_MARGIN,
  diagramSvg,
  escapeXml,
  wrapLines,
  type Diagram,
  type DiagramNode,
  type TextBlock,
} from '../../../../renderer/src/canvas/diagram-svg';
import { shapePath } from '../../../../renderer/src/canvas/svg-shapes';

/** Every character 7 px wide, as a stand-in for the canvas's text measure. */
const measure = (line: string): number => line.length * 7;

function label(lines: string[], at = { x: 0, y: 0 }): TextBlock {
  return {
    lines,
    anchor: at,
    halign: 'center',
    valign: 'center',
    width: Math.max(...lines.map(measure)),
    fontSize: 12,
    lineHeight: 16,
    fontFamily: 'system-ui, "Segoe UI", sans-serif',
    fontWeight: 'normal',
    fontStyle: 'normal',
    color: 'rgb(28,34,48)',
    opacity: 1,
    rotation: 0,
  };
}

function node(id: string, kind: string, text: string[], x = 0, y = 0): DiagramNode {
  return {
    id,
    kind,
    shape: 'round-rectangle',
    centre: { x, y },
    width: 160,
    height: 56,
    fill: 'rgb(255,255,255)',
    fillOpacity: 1,
    border: { color: 'rgb(138,148,168)', width: 1.5, style: 'solid', opacity: 1 },
    opacity: 1,
    image: null,
    label: label(text, { x, y }),
  };
}

const E1_LIKE: Diagram = {
  title: 'E1: A nested VM <reaches> the gateway',
  box: { x1: 0, y1: 0, x2: 500, y2: 400 },
  background: '#fbfcfd',
  boxes: [node('vm:esxi', 'hypervisor', ['esxi · ESXi host · ▶ running'], 120, 150)],
  links: [
    {
      id: 'adapter:web1-nic0',
      kind: 'adapter',
      points: [
        { x: 120, y: 100 },
        { x: 120, y: 380 },
      ],
      curve: 'lines',
      line: { color: 'rgb(125,135,155)', width: 2, style: 'dashed', dash: [7, 4], opacity: 1 },
      opacity: 1,
      labels: [label(['web1-nic0', '02:00:00:00:01:01', '○ not promiscuous'], { x: 120, y: 240 })],
    },
  ],
  nodes: [
    node('vm:web1', 'vm', ['web1 · Web server', 'nested VM · ▶ running'], 120, 100),
    node('network:lan', 'network', ['lan · LAN', '10.0.0.0/24 · gw 10.0.0.254'], 250, 380),
  ],
};

describe('the diagram as SVG', () => {
  const svg = diagramSvg(E1_LIKE);

  it('keeps every label line as text, escaped', () => {
    for (const line of ['esxi · ESXi host · ▶ running', 'web1 · Web server', 'lan · LAN'])
      expect(svg).toContain(`>${line}</tspan>`);
    expect(svg).toContain('<title>E1: A nested VM &lt;reaches&gt; the gateway</title>');
    expect(svg).toContain('font-family="system-ui, &quot;Segoe UI&quot;, sans-serif"');
  });

  it('draws hypervisor boxes under the links and the other nodes over them', () => {
    const order = ['id="vm:esxi"', 'id="adapter:web1-nic0"', 'id="vm:web1"', 'id="network:lan"'];
    const at = order.map((id) => svg.indexOf(id));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('frames the drawing with a margin on its background', () => {
    const m = DIAGRAM_MARGIN;
    expect(svg).toContain(`viewBox="${-m} ${-m} ${500 + 2 * m} ${400 + 2 * m}"`);
    expect(svg).toContain(`width="${500 + 2 * m}" height="${400 + 2 * m}"`);
    expect(svg).toMatch(/<rect class="background"[^>]* fill="#fbfcfd"\/>/);
  });

  it('draws a dashed link with its dash pattern and a label box behind its text', () => {
    expect(svg).toContain('stroke-dasharray="7 4"');
    const withBackground = diagramSvg({
      ...E1_LIKE,
      links: E1_LIKE.links.map((l) => ({
        ...l,
        labels: l.labels.map((b) => ({
          ...b,
          background: { color: 'rgb(255,255,255)', opacity: 0.94, padding: 3, rounded: true },
        })),
      })),
    });
    // Three lines of 16 px centred on y = 240, 3 px of padding around them.
    expect(withBackground).toMatch(/<rect x="[\d.]+" y="213" width="[\d.]+" height="54" rx="2"/);
  });

  it('puts the lines of a label one line height apart, centred on its anchor', () => {
    const ys = [...svg.matchAll(/<tspan x="120" y="([\d.]+)">(?:web1-nic0|02:00|○)/g)].map((m) =>
      Number(m[1]),
    );
    expect(ys).toHaveLength(3);
    expect((ys[1] ?? 0) - (ys[0] ?? 0)).toBe(16);
    expect((ys[2] ?? 0) - (ys[1] ?? 0)).toBe(16);
    expect(((ys[0] ?? 0) + (ys[2] ?? 0)) / 2).toBeCloseTo(240 + 0.35 * 12, 5);
  });
});

describe('wrapLines, as cytoscape wraps a label', () => {
  it('breaks at newlines and keeps short lines whole', () => {
    expect(wrapLines('web1 · Web server\nnested VM', 150, measure)).toEqual([
      'web1 · Web server',
      'nested VM',
    ]);
  });

  it('breaks a line wider than the maximum before the word that overflows', () => {
    expect(wrapLines('one two three four five', 70, measure)).toEqual([
      'one two',
      'three four',
      'five',
    ]);
  });

  it('keeps a single word wider than the maximum whole', () => {
    expect(wrapLines('esxi-nic0-uplink-of-vsw0 x', 70, measure)).toEqual([
      'esxi-nic0-uplink-of-vsw0',
      'x',
    ]);
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });
});

describe('node outlines follow cytoscape shapes', () => {
  it("draws a hexagon with cytoscape's corners: flat top and bottom, points left and right", () => {
    expect(shapePath('hexagon', 0, 0, 200, 100)).toBe('M-50 -50L-100 0L-50 50L50 50L100 0L50 -50Z');
  });

  it('cuts the corners of a cut rectangle by 8 px', () => {
    expect(shapePath('cut-rectangle', 0, 0, 100, 40)).toBe(
      'M-42 -20L42 -20L50 -12L50 12L42 20L-42 20L-50 12L-50 -12Z',
    );
  });

  it('rounds a round rectangle by at most 8 px and draws an unknown shape the same way', () => {
    const round = shapePath('round-rectangle', 0, 0, 100, 40);
    expect(round).toMatch(/^M-50 -12Q-50 -20 -42 -20/);
    expect(shapePath('star-of-david', 0, 0, 100, 40)).toBe(round);
    expect(shapePath('roundrectangle', 0, 0, 100, 40)).toBe(round);
  });

  it('draws an ellipse as two arcs through its ends', () => {
    expect(shapePath('ellipse', 10, 10, 40, 20)).toBe(
      'M-10 10A20 10 0 1 0 30 10A20 10 0 1 0 -10 10Z',
    );
  });
});

describe('the exported files', () => {
  it('are named after the lab file', () => {
    expect(diagramFileName('e1-nested-vm-out.lab.yaml', 'png')).toBe('e1-nested-vm-out.png');
    expect(diagramFileName('my lab.yml', 'svg')).toBe('my lab.svg');
    expect(diagramFileName('labs/e4-inline-bridge.lab.yaml', 'svg')).toBe('e4-inline-bridge.svg');
    expect(diagramFileName('.lab.yaml', 'png')).toBe('diagram.png');
  });

  it('make the PNG twice the size, less only when that would pass the pixel limit', () => {
    expect(pngScale(800, 600)).toBe(PNG_SCALE);
    const scale = pngScale(20_000, 12_000);
    expect(scale).toBeLessThan(PNG_SCALE);
    expect(20_000 * scale * 12_000 * scale).toBeCloseTo(MAX_PNG_PIXELS, -3);
  });
});
