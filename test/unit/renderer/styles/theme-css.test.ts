/**
 * The theme's colours in renderer/src/styles/app.css: the dark values chosen in the theme
 * switch (`[data-theme='dark']`) and the dark values the system gives (`prefers-color-scheme`
 * with the "system" choice) are the same, and light and dark set the same properties, so
 * no colour is left over from the other theme.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(
  new URL('../../../../renderer/src/styles/app.css', import.meta.url),
  'utf8',
);

/** The custom properties declared in the first rule whose selector starts with `selector`. */
function properties(selector: string): Map<string, string> {
  const at = css.indexOf(`${selector}`);
  if (at < 0) throw new Error(`app.css has no rule for ${selector}`);
  const open = css.indexOf('{', at);
  const close = css.indexOf('}', open);
  const declarations = css.slice(open + 1, close).matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g);
  return new Map([...declarations].map(([, name = '', value = '']) => [name, value.trim()]));
}

describe('theme colours in app.css', () => {
  const light = properties(':root {');
  const chosenDark = properties(":root[data-theme='dark'] {");
  const systemDark = properties(":root:not([data-theme]),\n  :root[data-theme='system'] {");

  it('the dark theme chosen in the app and the system dark theme have the same values', () => {
    expect(chosenDark.size).toBeGreaterThan(20);
    expect(Object.fromEntries(systemDark)).toEqual(Object.fromEntries(chosenDark));
  });

  it('light and dark set the same colour properties, the canvas ones included', () => {
    const colours = [...light.keys()].filter((name) => name !== '--mono');
    expect(colours).toContain('--canvas-bg');
    expect([...chosenDark.keys()].sort()).toEqual(colours.sort());
  });
});
