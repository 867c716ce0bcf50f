import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCell,
  formatCompact,
  formatInteger,
  formatNumber,
  formatPercent,
  isNumericType,
  typeGlyph,
} from './format.utils';

describe('formatters', () => {
  it('formats integers and compact numbers', () => {
    expect(formatInteger(10_000_000)).toBe('10,000,000');
    expect(formatInteger(null)).toBe('—');
    expect(formatCompact(1_250_000)).toBe('1.3M');
  });

  it('formats decimals sensibly', () => {
    expect(formatNumber(3.14159)).toBe('3.14');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(1234567.891)).toBe('1,234,567.89');
    expect(formatNumber(0.00001)).toBe('1.00e-5');
    expect(formatNumber(Infinity)).toBe('—');
    // Each precision has its own (kept) formatter.
    expect(formatNumber(3.14159, 4)).toBe('3.1416');
    expect(formatNumber(0.123456, 4)).toBe('0.123456');
    expect(formatNumber(3.14159)).toBe('3.14');
  });

  it('formats percentages', () => {
    expect(formatPercent(0.254)).toBe('25.4%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.0001)).toBe('<0.1%');
  });

  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });

  it('formats cells without thousands separators', () => {
    expect(formatCell(1234567, 'integer')).toBe('1234567');
    expect(formatCell(1234.5, 'float')).toBe('1234.5');
    expect(formatCell(true)).toBe('true');
    expect(formatCell(null)).toBe('');
    expect(formatCell('x')).toBe('x');
  });

  it('knows numeric types and glyphs', () => {
    expect(isNumericType('decimal')).toBe(true);
    expect(isNumericType('string')).toBe(false);
    expect(typeGlyph('string')).toBe('Aa');
    expect(typeGlyph('integer')).toBe('#');
  });
});
