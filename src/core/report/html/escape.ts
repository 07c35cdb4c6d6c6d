/**
 * HTML escaping for every string that reaches the report page. Layer names, op types, paths and
 * warnings come from untrusted model files; escaping all five significant characters makes a value
 * safe in text and in quoted attribute values alike (the page never places values elsewhere).
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  // Control characters are invalid in HTML and could confuse viewers; drop them to '?'.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?');
}
