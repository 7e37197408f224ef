import { describe, expect, it } from 'vitest';
import { childText, childrenNamed, parseXml, XmlError } from './xml';

describe('parseXml (the autoconfig subset)', () => {
  it('reads elements, attributes, text, CDATA, comments and character references', () => {
    const root = parseXml(`\uFEFF<?xml version="1.0"?>\n<!-- hi --><a x="1" y='&quot;2&quot;'>\n <b>one &amp; two &#x41;&#66;</b><b/><c><![CDATA[<raw> & ]]></c><ns:d>4</ns:d></a>\n`);
    expect(root.name).toBe('a');
    expect(root.attrs).toEqual({ x: '1', y: '"2"' });
    expect(childrenNamed(root, 'b').map((b) => b.text)).toEqual(['one & two AB', '']);
    expect(childText(root, 'c')).toBe('<raw> &');
    expect(childText(root, 'd')).toBe('4');
    expect(childText(root, 'missing')).toBeNull();
  });

  it.each([
    ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', /DOCTYPE/],
    ['<a>&e;</a>', /undeclared entity &e;/],
    ['<a>&#0;</a>', /invalid character reference/],
    ['<a>fish & chips</a>', /bare "&"/],
    ['<a><b></a></b>', /<\/a> does not close <b>/],
    ['<a>', /<a> is never closed/],
    ['<a/><b/>', /second root/],
    ['text', /text outside the root/],
    ['', /no root element/],
    ['<a x=1/>', /malformed attribute/],
    ['<a x="1" x="2"/>', /given twice/],
    ['<a><!-- open </a>', /unclosed comment/],
    [`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`, /nested deeper than 32/],
    [`<a>${'<b/>'.repeat(6000)}</a>`, /more than 5000 elements/],
  ])('refuses %s', (src, why) => {
    expect(() => parseXml(src)).toThrow(XmlError);
    expect(() => parseXml(src)).toThrow(why);
  });
});
