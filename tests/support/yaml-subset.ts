/**
 * A strict reader for the small part of YAML that electron-builder.yml uses — block mappings, block sequences
 * (of scalars or of mappings), one-line flow sequences of scalars, plain and quoted scalars, comments — so a test
 * can check the packaging settings without a YAML library (none is a direct dependency; js-yaml only comes in
 * through electron-builder). Anything outside that subset (anchors, aliases, tags, block scalars, flow mappings,
 * tabs, several documents, duplicate keys) is an error naming the line, never a silent misreading.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly no: number;
  indent: number;
  text: string;
}

function fail(line: Line | undefined, why: string): never {
  throw new Error(`electron-builder.yml${line ? ` line ${line.no}` : ''}: ${why} (outside the YAML subset this reader accepts)`);
}

/** Removes a trailing ` # comment` outside quotes. */
function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ')) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

function scalar(raw: string, line: Line): YamlValue {
  const text = raw.trim();
  if (/^[&*!|>{%@`]/.test(text)) fail(line, `unsupported construct "${text.slice(0, 20)}"`);
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) fail(line, 'a flow sequence must end on its line');
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((part) => scalar(part, line));
  }
  if (text.startsWith('"')) {
    if (!/^"[^"\\]*"$/.test(text)) fail(line, 'double-quoted scalar with escapes or unterminated');
    return text.slice(1, -1);
  }
  if (text.startsWith("'")) {
    if (!/^'[^']*'$/.test(text)) fail(line, 'single-quoted scalar unterminated');
    return text.slice(1, -1);
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~' || text === '') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

export function parseYamlSubset(source: string): YamlValue {
  if (source.includes('\t')) fail(undefined, 'tab characters');
  const lines: Line[] = [];
  for (const [index, raw] of source.split(/\r?\n/).entries()) {
    const text = stripComment(raw);
    if (text.trim() === '') continue;
    if (/^(---|\.\.\.)\s*$/.test(text)) fail({ no: index + 1, indent: 0, text }, 'document markers');
    const indent = text.length - text.trimStart().length;
    lines.push({ no: index + 1, indent, text: text.trimStart() });
  }
  let at = 0;

  function block(indent: number): YamlValue {
    const first = lines[at];
    if (!first || first.indent !== indent) fail(first, 'unexpected indentation');
    return first.text === '-' || first.text.startsWith('- ') ? sequence(indent) : mapping(indent);
  }

  function mapping(indent: number): YamlValue {
    const result: { [key: string]: YamlValue } = {};
    while (at < lines.length && lines[at]!.indent === indent) {
      const line = lines[at]!;
      const match = /^([A-Za-z0-9_.$/-]+):(?:\s+(.*))?$/.exec(line.text);
      if (!match) fail(line, `not a "key: value" line: "${line.text}"`);
      const key = match[1]!;
      if (Object.hasOwn(result, key)) fail(line, `duplicate key "${key}"`);
      at++;
      if (match[2] !== undefined && match[2] !== '') {
        result[key] = scalar(match[2], line);
      } else {
        const next = lines[at];
        if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) result[key] = block(next.indent);
        else result[key] = null;
      }
    }
    if (at < lines.length && lines[at]!.indent > indent) fail(lines[at], 'unexpected indentation');
    return result;
  }

  function sequence(indent: number): YamlValue {
    const result: YamlValue[] = [];
    while (at < lines.length && lines[at]!.indent === indent && (lines[at]!.text === '-' || lines[at]!.text.startsWith('- '))) {
      const line = lines[at]!;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        at++;
        const next = lines[at];
        if (!next || next.indent <= indent) fail(line, 'empty sequence item');
        result.push(block(next.indent));
      } else if (/^[A-Za-z0-9_.$/-]+:(\s|$)/.test(rest)) {
        // "- key: value" opens a mapping whose keys line up with "key".
        line.indent = indent + (line.text.length - rest.length);
        line.text = rest;
        result.push(mapping(line.indent));
      } else {
        at++;
        result.push(scalar(rest, line));
      }
    }
    return result;
  }

  const root = block(0);
  if (at < lines.length) fail(lines[at], 'text after the document');
  return root;
}
