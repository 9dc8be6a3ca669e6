import { describe, expect, it } from 'vitest';
import { CollapseAlarm, type CollapseObservation } from '../../src/main/metrics/collapse-alarm';

const uniform8 = new Array(8).fill(1 / 8);
const spread = [40, 40, 40, 40, 40, 40, 40, 40];

function ring(step: number, covered: number, diversity: number, histogram = spread): CollapseObservation {
  return { step, unit: 'modes', covered, coverageTotal: 8, diversity, histogram, realShares: uniform8 };
}

describe('CollapseAlarm', () => {
  it('stays quiet while indicators hold', () => {
    const alarm = new CollapseAlarm();
    expect(alarm.observe(ring(250, 8, 1))).toEqual({ kind: 'unchanged', active: false });
    expect(alarm.observe(ring(500, 8, 0.9))).toEqual({ kind: 'unchanged', active: false });
  });

  it('raises on a coverage drop with numbers', () => {
    const alarm = new CollapseAlarm();
    alarm.observe(ring(250, 8, 1));
    const change = alarm.observe(ring(500, 6, 0.95));
    expect(change.kind).toBe('raised');
    if (change.kind !== 'raised') return;
    expect(change.finding.reasons).toEqual(['coverage-drop']);
    expect(change.finding.message).toBe('Possible mode collapse at step 500: modes covered fell to 6 of 8 from a maximum of 8.');
    expect(change.finding.data).toMatchObject({ covered: 6, coverageTotal: 8, maxCovered: 8 });
  });

  it('ignores a drop of one mode', () => {
    const alarm = new CollapseAlarm();
    alarm.observe(ring(250, 8, 1));
    expect(alarm.observe(ring(500, 7, 1)).kind).toBe('unchanged');
  });

  it('raises on a diversity drop', () => {
    const alarm = new CollapseAlarm();
    alarm.observe(ring(250, 8, 0.8));
    const change = alarm.observe(ring(500, 8, 0.39));
    expect(change.kind).toBe('raised');
    if (change.kind !== 'raised') return;
    expect(change.finding.reasons).toEqual(['diversity-drop']);
    expect(change.finding.data).toMatchObject({ diversity: 0.39, maxDiversity: 0.8 });
  });

  it('ignores a diversity dip above half', () => {
    const alarm = new CollapseAlarm();
    alarm.observe(ring(250, 8, 0.8));
    expect(alarm.observe(ring(500, 8, 0.41)).kind).toBe('unchanged');
  });

  it('raises on a concentrated histogram', () => {
    // 120 of 200 samples (60%) in mode 3, whose real share is 12.5%.
    const alarm = new CollapseAlarm();
    const change = alarm.observe(ring(250, 8, 1, [10, 10, 10, 120, 10, 10, 20, 10]));
    expect(change.kind).toBe('raised');
    if (change.kind !== 'raised') return;
    expect(change.finding.message).toBe(
      'Possible mode collapse at step 250: 60% of generated samples fall in mode 3, whose real share is 13%.',
    );
  });

  it('skips concentration on tiny histograms', () => {
    const alarm = new CollapseAlarm();
    expect(alarm.observe(ring(250, 1, 1, [19, 0, 0, 0, 0, 0, 0, 0])).kind).toBe('unchanged');
  });

  it('raises once per episode and clears', () => {
    const alarm = new CollapseAlarm();
    alarm.observe(ring(250, 8, 1));
    expect(alarm.observe(ring(500, 6, 1)).kind).toBe('raised');
    expect(alarm.observe(ring(750, 6, 1))).toEqual({ kind: 'unchanged', active: true });
    expect(alarm.observe(ring(1000, 8, 1))).toEqual({ kind: 'cleared', step: 1000 });
  });

  it('raises again for a new reason', () => {
    const alarm = new CollapseAlarm();
    alarm.observe(ring(250, 8, 1));
    alarm.observe(ring(500, 6, 1));
    const change = alarm.observe(ring(750, 6, 0.2));
    expect(change.kind).toBe('raised');
    if (change.kind !== 'raised') return;
    expect(change.finding.reasons).toEqual(['coverage-drop', 'diversity-drop']);
  });

  it('scales the coverage drop with the total', () => {
    // 25 modes: a drop needs ceil(0.2 · 25) = 5.
    const alarm = new CollapseAlarm();
    const grid = (step: number, covered: number): CollapseObservation => ({ step, unit: 'modes', covered, coverageTotal: 25 });
    alarm.observe(grid(250, 25));
    expect(alarm.observe(grid(500, 21)).kind).toBe('unchanged');
    expect(alarm.observe(grid(750, 20)).kind).toBe('raised');
  });
});
