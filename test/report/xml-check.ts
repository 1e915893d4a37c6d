/**
 * A small well-formedness check for the XML we write (no XML parser is installed): tags balance,
 * attribute values are quoted with no raw `<` or `"`, every `&` starts an entity, CDATA is closed.
 * Returns the problems found; empty means well-formed for our purposes.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  // CDATA sections hold text verbatim (junit-report-builder writes system-out that way); an
  // unclosed one is left in place and shows up as a bare `<`.
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)>/g;
  const entity = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);/g;
  const stack: string[] = [];
  let last = 0;
  for (const match of body.matchAll(tag)) {
    checkText(body.slice(last, match.index), problems);
    last = match.index + match[0].length;
    const [, closing, name = '', attributes = '', selfClosing] = match;
    if (attributes.replace(entity, '').includes('&')) problems.push(`bare & in attributes of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing) stack.push(name);
  }
  checkText(body.slice(last), problems);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;

  function checkText(text: string, into: string[]): void {
    if (text.includes('<')) into.push(`bare < or malformed tag near: ${text.slice(0, 40)}`);
    if (text.replace(entity, '').includes('&')) into.push(`bare & near: ${text.slice(0, 40)}`);
  }
}

/** How many times `needle` occurs in `text`. */
export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
