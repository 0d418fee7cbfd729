/**
 * Markdown from a lab file (a description, a checkpoint's explanation) as safe HTML: markdown-it
 * with raw HTML off (a `<script>` in the text stays text), links only to http(s) and mail,
 * opened outside the app, and DOMPurify over the result as a second guard. A lab file is
 * untrusted: this is the one way its text becomes HTML.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false });

const SAFE_LINK = /^(?:https?:|mailto:)/i;
md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** One line of Markdown (a question, a choice) as sanitised inline HTML: emphasis, code, links. */
export function markdownInlineHtml(text: string): string {
  return purify.sanitize(md.renderInline(text), {
    ALLOWED_TAGS: ['em', 'strong', 'code', 'a', 's', 'br'],
    ALLOWED_ATTR: ['href', 'title', 'target', 'rel'],
  });
}

/** The text as sanitised HTML: paragraphs, emphasis, code, lists, links; no raw HTML. */
export function markdownHtml(text: string): string {
  return purify.sanitize(md.render(text), {
    ALLOWED_TAGS: [
      'p',
      'br',
      'em',
      'strong',
      'code',
      'pre',
      'ul',
      'ol',
      'li',
      'a',
      'blockquote',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'hr',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      's',
    ],
    ALLOWED_ATTR: ['href', 'title', 'target', 'rel', 'start'],
  });
}
