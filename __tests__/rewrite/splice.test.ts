import { describe, expect, it } from 'vitest';
import { applySplices, mapOffset, mergeSplices } from '../../src/rewrite/splice.js';

describe('mergeSplices', () => {
  it('keeps identical splices once and orders them for backwards application', () => {
    const merged = mergeSplices([
      { start: 2, end: 4, text: 'X' },
      { start: 8, end: 9, text: 'Y' },
      { start: 2, end: 4, text: 'X' },
    ]);

    expect(merged).toEqual({
      ok: true,
      splices: [
        { start: 8, end: 9, text: 'Y' },
        { start: 2, end: 4, text: 'X' },
      ],
    });
  });

  it('refuses two different texts for one span', () => {
    expect(
      mergeSplices([
        { start: 2, end: 4, text: 'X' },
        { start: 2, end: 4, text: 'Z' },
      ]),
    ).toEqual({
      ok: false,
      reason: 'conflicting edits at offset 2: "X" and "Z"',
    });
  });

  it.each([
    [
      { start: 0, end: 5, text: 'a' },
      { start: 3, end: 8, text: 'b' },
    ],
    [
      { start: 0, end: 5, text: 'a' },
      { start: 0, end: 3, text: 'b' },
    ],
    [
      { start: 0, end: 5, text: 'a' },
      { start: 3, end: 3, text: 'b' },
    ],
    [
      { start: 0, end: 9, text: 'a' },
      { start: 6, end: 7, text: 'b' },
    ],
  ])('refuses overlapping splices %j and %j', (a, b) => {
    expect(mergeSplices([a, b]).ok).toBe(false);
    expect(mergeSplices([b, a]).ok).toBe(false);
  });

  it('allows insertions at either edge of a replacement and puts them in front at the start', () => {
    const merged = mergeSplices([
      { start: 2, end: 2, text: '<' },
      { start: 2, end: 4, text: 'XY' },
      { start: 4, end: 4, text: '>' },
    ]);
    if (!merged.ok) throw new Error(merged.reason);

    expect(applySplices('01234', merged.splices)).toBe('01<XY>4');
  });
});

describe('mapOffset', () => {
  const splices = [
    { start: 10, end: 12, text: 'abcdef' }, // +4
    { start: 5, end: 5, text: 'ins' }, // +3
    { start: 0, end: 3, text: '' }, // -3
  ];

  it.each([
    [0, 0], // a replacement starting here does not move it
    [3, 0],
    [4, 1],
    [5, 5], // an insertion here moves it
    [10, 10],
    [12, 16],
    [20, 24],
  ])('%i → %i', (offset, expected) => {
    expect(mapOffset(offset, splices)).toBe(expected);
  });
});
