import { describe, expect, it } from 'vitest';
import { deadlineColour, deadlineThresholdsSchema } from '../../../../shared/domain/deadline';

const received = new Date('2026-11-23T02:00:00Z');
const due = new Date('2026-11-27T10:00:00Z'); // 104 hours later
const at = (hours: number) => new Date(received.getTime() + hours * 3_600_000);

describe('deadline colours', () => {
  it('goes green → yellow → orange → red as the allowed time is used', () => {
    expect(deadlineColour(received, due, at(0))).toBe('green');
    expect(deadlineColour(received, due, at(51))).toBe('green');
    expect(deadlineColour(received, due, at(52))).toBe('yellow');
    expect(deadlineColour(received, due, at(78))).toBe('orange');
    expect(deadlineColour(received, due, at(104))).toBe('orange');
    expect(deadlineColour(received, due, at(104.01))).toBe('red');
  });

  it('follows configured thresholds and refuses inconsistent ones', () => {
    expect(deadlineColour(received, due, at(30), { yellowFrom: 0.25, orangeFrom: 0.9 })).toBe('yellow');
    expect(deadlineColour(received, due, at(90), { yellowFrom: 0.25, orangeFrom: 0.9 })).toBe('yellow');
    expect(deadlineColour(received, due, at(95), { yellowFrom: 0.25, orangeFrom: 0.9 })).toBe('orange');
    expect(deadlineThresholdsSchema.safeParse({ yellowFrom: 0.8, orangeFrom: 0.5 }).success).toBe(false);
  });

  it('treats a same-instant appointment as orange until it passes', () => {
    expect(deadlineColour(received, received, received)).toBe('orange');
    expect(deadlineColour(received, received, at(0.01))).toBe('red');
  });
});
