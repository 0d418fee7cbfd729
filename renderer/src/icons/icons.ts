/**
 * Nestlab's one icon set: 24×24 outline icons drawn with a 1.75 stroke and round joins, as
 * SVG path data only, so the same drawing serves the DOM (Icon.svelte) and the canvas (a
 * data URI per colour, `iconDataUri`). Shapes are built from rectangles, circles and lines
 * so every icon shares one geometry.
 */

function rect(x: number, y: number, w: number, h: number, r = 2): string {
  return (
    `M${x + r} ${y}h${w - 2 * r}a${r} ${r} 0 0 1 ${r} ${r}v${h - 2 * r}` +
    `a${r} ${r} 0 0 1 ${-r} ${r}h${-(w - 2 * r)}a${r} ${r} 0 0 1 ${-r} ${-r}` +
    `v${-(h - 2 * r)}a${r} ${r} 0 0 1 ${r} ${-r}z`
  );
}

function circle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0z`;
}

function line(...points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join('');
}

export const ICONS = {
  network: [
    rect(2, 9, 20, 6, 3),
    line([6, 9], [6, 5]),
    line([12, 9], [12, 5]),
    line([18, 9], [18, 5]),
    line([12, 15], [12, 19]),
  ],
  vm: [rect(3, 4, 18, 12), line([8, 20], [16, 20]), line([12, 16], [12, 20])],
  hypervisor: [
    rect(2, 3, 20, 18),
    rect(5, 8, 6, 5, 1),
    rect(13, 8, 6, 5, 1),
    line([5, 17], [19, 17]),
  ],
  switch: [
    rect(3, 8, 18, 8),
    line([7, 12], [7.01, 12]),
    line([11, 12], [11.01, 12]),
    line([15, 12], [15.01, 12]),
    line([8, 16], [8, 20]),
    line([16, 16], [16, 20]),
  ],
  'nested-vm': [rect(2, 2, 20, 20, 3), rect(7, 7, 10, 7, 1.5), line([10, 17], [14, 17])],
  bridge: [
    line([2, 8], [22, 8]),
    line([2, 16], [22, 16]),
    line([6, 8], [6, 16]),
    line([18, 8], [18, 16]),
    line([12, 4], [12, 20]),
  ],
  external: [
    circle(12, 12, 9),
    line([3, 12], [21, 12]),
    'M12 3a14 14 0 0 1 0 18a14 14 0 0 1 0-18z',
  ],
  adapter: [
    rect(4, 6, 16, 10),
    line([8, 16], [8, 20]),
    line([16, 16], [16, 20]),
    line([8, 10], [16, 10]),
  ],
  connect: [circle(6, 6, 2.5), circle(18, 18, 2.5), line([8, 8], [16, 16])],
  undo: ['M9 14L4 9l5-5', 'M4 9h10a6 6 0 0 1 0 12h-3'],
  redo: ['M15 14l5-5-5-5', 'M20 9H10a6 6 0 0 0 0 12h3'],
  'zoom-in': [
    circle(11, 11, 7),
    line([16, 16], [21, 21]),
    line([8, 11], [14, 11]),
    line([11, 8], [11, 14]),
  ],
  'zoom-out': [circle(11, 11, 7), line([16, 16], [21, 21]), line([8, 11], [14, 11])],
  fit: ['M4 9V4h5', 'M15 4h5v5', 'M20 15v5h-5', 'M9 20H4v-5', rect(8, 8, 8, 8, 1)],
  layout: [
    rect(3, 3, 7, 7, 1.5),
    rect(14, 14, 7, 7, 1.5),
    rect(14, 3, 7, 7, 1.5),
    line([10, 6.5], [14, 6.5]),
    line([17.5, 10], [17.5, 14]),
  ],
  copy: [rect(8, 8, 13, 13), 'M4 16V5a1 1 0 0 1 1-1h11'],
  paste: [
    rect(5, 4, 14, 17),
    rect(9, 2, 6, 4, 1),
    line([9, 12], [15, 12]),
    line([9, 16], [13, 16]),
  ],
  delete: [
    line([4, 7], [20, 7]),
    'M9 7V4h6v3',
    'M6 7l1 13h10l1-13',
    line([10, 11], [10, 16]),
    line([14, 11], [14, 16]),
  ],
  save: [
    'M5 3h11l3 3v13a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2z',
    rect(8, 13, 8, 8, 1),
    line([8, 3], [8, 8], [14, 8]),
  ],
  open: ['M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z'],
  new: ['M6 3h8l4 4v14H6z', 'M14 3v4h4', line([12, 11], [12, 17]), line([9, 14], [15, 14])],
  promiscuous: [circle(12, 12, 3), 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z'],
  users: [circle(9, 8, 3.5), 'M3 20a6 6 0 0 1 12 0', circle(17, 9, 2.5), 'M16 14a5 5 0 0 1 5 5'],
  problems: ['M12 3l10 18H2z', line([12, 10], [12, 14]), line([12, 17.5], [12.01, 17.5])],
  inspector: [
    rect(3, 3, 18, 18),
    line([7, 8], [17, 8]),
    line([7, 12], [17, 12]),
    line([7, 16], [12, 16]),
  ],
  generate: ['M20 11a8 8 0 0 0-14-5L4 8', 'M4 4v4h4', 'M4 13a8 8 0 0 0 14 5l2-2', 'M20 20v-4h-4'],
  start: ['M7 4l13 8-13 8z'],
  stop: [rect(5, 5, 14, 14, 1.5)],
  suspend: [line([9, 5], [9, 19]), line([15, 5], [15, 19])],
  'step-forward': ['M5 5l10 7-10 7z', line([19, 5], [19, 19])],
  'step-back': ['M19 5L9 12l10 7z', line([5, 5], [5, 19])],
  'to-end': ['M3 5l8 7-8 7z', 'M11 5l8 7-8 7z', line([21, 5], [21, 19])],
  // A target: the exercise's objectives.
  objectives: [circle(12, 12, 8), circle(12, 12, 4), circle(12, 12, 0.8)],
  plus: [line([12, 5], [12, 19]), line([5, 12], [19, 12])],
  close: [line([6, 6], [18, 18]), line([18, 6], [6, 18])],
  keyboard: [
    rect(2, 6, 20, 12),
    line([6, 10], [6.01, 10]),
    line([10, 10], [10.01, 10]),
    line([14, 10], [14.01, 10]),
    line([18, 10], [18.01, 10]),
    line([7, 14], [17, 14]),
  ],
  labs: [
    rect(3, 4, 8, 7, 1.5),
    rect(13, 4, 8, 7, 1.5),
    rect(3, 13, 8, 7, 1.5),
    rect(13, 13, 8, 7, 1.5),
  ],
  // A tray with an arrow into it: a file to keep (the diagram's export).
  export: [
    line([12, 3], [12, 15]),
    line([7, 10], [12, 15], [17, 10]),
    line([4, 16], [4, 21], [20, 21], [20, 16]),
  ],
  // The three themes: the system's (a screen), light (a sun), dark (a moon).
  'theme-system': [rect(2, 4, 20, 13), line([8, 21], [16, 21]), line([12, 17], [12, 21])],
  'theme-light': [
    circle(12, 12, 4),
    line([12, 2], [12, 4]),
    line([12, 20], [12, 22]),
    line([2, 12], [4, 12]),
    line([20, 12], [22, 12]),
    line([4.9, 4.9], [6.3, 6.3]),
    line([17.7, 17.7], [19.1, 19.1]),
    line([4.9, 19.1], [6.3, 17.7]),
    line([17.7, 6.3], [19.1, 4.9]),
  ],
  'theme-dark': ['M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof ICONS;

/** A standalone SVG of one icon in one colour, for cytoscape's background images. */
export function iconSvg(name: IconName, color: string, size = 24): string {
  const paths = ICONS[name].map((d) => `<path d="${d}"/>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24" ` +
    `fill="none" stroke="${color}" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round">` +
    `${paths}</svg>`
  );
}

export function iconDataUri(name: IconName, color: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(iconSvg(name, color))}`;
}
