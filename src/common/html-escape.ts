/**
 * Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029 in strings (\u003c …) unless told
 * not to; dockerd's API answers and docker's inspect output carry those escapes. JSON.stringify's
 * text has those characters only inside strings, so escaping them in the whole text is safe.
 */
const HTML = /[<>&\u2028\u2029]/g;

export function escapeJSONHTML(json: string): string {
  if (!/[<>&\u2028\u2029]/.test(json)) return json;
  return json.replace(HTML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
