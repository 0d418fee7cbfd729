/** "5 minutes ago", "yesterday", "on 3 Mar 2025": when something last happened, in words. */
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

export function relativeTime(at: number, now: number, locale?: string): string {
  let amount = Math.round((at - now) / 1000);
  const words = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(amount) < size) return unit === 'second' ? 'just now' : words.format(amount, unit);
    amount = Math.round(amount / size);
  }
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  return `on ${date.format(at)}`;
}

/** A Markdown description as one line of plain text for a card. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/[*_#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
