/** The strict YAML-subset reader the packaging test relies on reads what it claims and refuses the rest. */
import { describe, expect, it } from 'vitest';
import { parseYamlSubset } from '../../support/yaml-subset';

describe('YAML subset reader', () => {
  it('reads mappings, sequences of scalars and of mappings, flow sequences, scalars and comments', () => {
    const text = ['# head', 'a: 1', 'b: true', 'c: Motcua-Setup-${version}.${ext}  # trailing', 'd:', '  - out/**', '  - from: x.json', '    to: y.json', 'e: [nsis, "zip"]', 'f:', '  g: false', '  h: "# not a comment"'].join('\n');
    expect(parseYamlSubset(text)).toEqual({ a: 1, b: true, c: 'Motcua-Setup-${version}.${ext}', d: ['out/**', { from: 'x.json', to: 'y.json' }], e: ['nsis', 'zip'], f: { g: false, h: '# not a comment' } });
  });

  it('refuses anchors, aliases, block scalars, flow mappings, duplicate keys and tabs', () => {
    for (const bad of ['a: &x 1', 'a: *x', 'a: |\n  text', 'a: {b: 1}', 'a: 1\na: 2', 'a:\n\t- b', 'a: !!str 1', '---\na: 1']) expect(() => parseYamlSubset(bad), bad).toThrow(/outside the YAML subset/);
  });
});
