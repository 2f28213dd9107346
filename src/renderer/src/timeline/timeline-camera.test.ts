import { describe, expect, it } from 'vitest';
import { TimelineCamera } from './timeline-camera.ts';

function camera(extent: { startUs: number; endUs: number } | null = { startUs: 0, endUs: 1000 }) {
  const box = { extent };
  const cam = new TimelineCamera(() => box.extent);
  cam.resize(500, 200);
  return { cam, box };
}
const shown = (cam: TimelineCamera): [number, number] => [Math.round(cam.scale.startUs), Math.round(cam.scale.endUs)];

describe('TimelineCamera', () => {
  it('shows the whole trace and keeps following it while it grows', () => {
    const { cam, box } = camera();
    const [s, e] = shown(cam);
    expect(s).toBeLessThanOrEqual(0);
    expect(e).toBeGreaterThanOrEqual(1000);
    box.extent = { startUs: 0, endUs: 5000 };
    cam.refit();
    expect(shown(cam)[1]).toBeGreaterThanOrEqual(5000);
  });

  it('stops following on zoom or pan, stays inside the trace, and follows again after fitAll', () => {
    const { cam, box } = camera();
    cam.zoom(4, 0);
    expect(cam.following).toBe(false);
    const zoomed = shown(cam);
    expect(zoomed[1] - zoomed[0]).toBeLessThan(400);
    cam.pan(-10_000);
    expect(shown(cam)[0]).toBe(-50); // the trace's start, with its 5 % margin
    box.extent = { startUs: 0, endUs: 5000 };
    cam.refit();
    expect(shown(cam)[1]).toBeLessThan(5000); // not following: the grown trace does not move the view
    cam.fitAll();
    expect(cam.following).toBe(true);
    expect(shown(cam)[1]).toBeGreaterThanOrEqual(5000);
  });

  it('scrolls within the rows and drags from where the drag began', () => {
    const { cam } = camera();
    cam.scrollBy(1000, 700);
    expect(cam.scrollY).toBe(500); // 700 of rows through a 200 px viewport
    cam.scrollBy(-9999, 700);
    expect(cam.scrollY).toBe(0);
    cam.zoom(4, 250);
    const before = shown(cam);
    const moveBy = cam.dragFrom();
    moveBy(-50, -30, 700);
    moveBy(-100, -60, 700); // cumulative from the start of the drag, not from the last move
    const after = shown(cam);
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[0] - before[0]).toBeCloseTo((before[1] - before[0]) * (100 / 500), 0);
    expect(cam.scrollY).toBe(60);
  });

  it('reveals a time off screen by centring on it', () => {
    const { cam } = camera();
    cam.zoom(10, 0);
    cam.reveal(900, true);
    const [s, e] = shown(cam);
    expect(s).toBeLessThan(900);
    expect(e).toBeGreaterThan(900);
  });

  it('has a sensible view before the trace has events', () => {
    const { cam } = camera(null);
    expect(shown(cam)).toEqual([0, 1000]);
  });

  it('fits the activity by default and the whole run on fitAll, following whichever was asked for', () => {
    const box = { extent: { startUs: 0, endUs: 40_000 }, activity: { startUs: 1000, endUs: 5000 } };
    const cam = new TimelineCamera(() => box.extent, () => box.activity);
    cam.resize(500, 200);
    // activity in 4 ms of a 40 ms run: the fit shows the 4 ms, not the idle tail
    let [s, e] = shown(cam);
    expect(s).toBeLessThanOrEqual(1000);
    expect(e).toBeGreaterThanOrEqual(5000);
    expect(e - s).toBeLessThan(4000 * 1.1);
    cam.fitAll();
    [s, e] = shown(cam);
    expect([s <= 0, e >= 40_000]).toEqual([true, true]);
    cam.zoom(3);
    cam.fitActivity();
    expect(cam.following).toBe(true);
    box.activity = { startUs: 1000, endUs: 9000 };
    cam.refit();
    [s, e] = shown(cam);
    expect(e).toBeGreaterThanOrEqual(9000);
    expect(e - s).toBeLessThan(8000 * 1.1);
  });

  it('keeps showing the same times when the axis is remapped (idle gaps compressed or not)', () => {
    const { cam } = camera({ startUs: 0, endUs: 10_000 });
    cam.zoom(10, 0);
    const before = shown(cam);
    cam.remap((d) => d / 2); // a new axis on which every time sits at half its old display time
    const after = shown(cam);
    expect(after[0]).toBe(Math.round(before[0] / 2));
    expect(after[1]).toBe(Math.round(before[1] / 2));
  });
});
