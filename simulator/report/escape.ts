// Escaping text for HTML and SVG, and data for an inline script.

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** JSON that is safe inside `<script type="application/json">`: no `</script>` can end it early. */
export function inlineJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c");
}
