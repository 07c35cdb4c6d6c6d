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
  // Line breaks as references: the page renders them the same, and a name from a file never starts
  // a raw line of its own in the written report.
  '\n': '&#10;',
  '\r': '&#13;',
};

export function escapeHtml(text: string): string {
  // Control characters are invalid in HTML and could confuse viewers; drop them to '?'.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[&<>"'\n\r]/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?');
}
