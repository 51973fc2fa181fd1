import { describe, expect, it } from 'vitest';
import type { Severity } from '../rules/signal.js';
import { severityFromWord } from './severity-words.js';

describe('severityFromWord', () => {
  it.each<[string, Severity]>([
    ['critical', 'P1'],
    ['p1', 'P1'],
    ['page', 'P1'],
    ['emergency', 'P1'],
    ['fatal', 'P1'],
    ['major', 'P2'],
    ['high', 'P2'],
    ['error', 'P2'],
    ['p2', 'P2'],
    ['warning', 'P3'],
    ['warn', 'P3'],
    ['minor', 'P3'],
    ['medium', 'P3'],
    ['p3', 'P3'],
    ['info', 'P4'],
    ['low', 'P4'],
    ['none', 'P4'],
    ['p4', 'P4'],
    ['informational', 'P4'],
  ])('reads the built-in word %s as %s', (word, severity) => {
    expect(severityFromWord(word)).toBe(severity);
  });

  it('ignores case and surrounding space in built-in words', () => {
    expect(severityFromWord('CRITICAL')).toBe('P1');
    expect(severityFromWord(' Warning ')).toBe('P3');
    expect(severityFromWord('P2')).toBe('P2');
  });

  it('returns null for a missing, empty or unknown word', () => {
    expect(severityFromWord(undefined)).toBeNull();
    expect(severityFromWord('')).toBeNull();
    expect(severityFromWord('sev9')).toBeNull();
  });

  it('does not take inherited object properties for words', () => {
    expect(severityFromWord('constructor')).toBeNull();
    expect(severityFromWord('__proto__')).toBeNull();
    expect(severityFromWord('toString', {})).toBeNull();
  });

  it('consults the integration words before the built-in ones', () => {
    const extra: Record<string, Severity> = { warning: 'P2', SEV1: 'P1' };
    expect(severityFromWord('warning', extra)).toBe('P2');
    expect(severityFromWord('SEV1', extra)).toBe('P1');
  });

  it('matches integration words ignoring case when no exact one exists', () => {
    expect(severityFromWord('sev1', { SEV1: 'P1' })).toBe('P1');
  });

  it('falls back to the built-in words when the integration has no such word', () => {
    expect(severityFromWord('info', { SEV1: 'P1' })).toBe('P4');
  });
});
