import { describe, expect, it } from 'vitest';
import { variablesIn } from '../../src/reference/index.js';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';

describe('variablesIn', () => {
  it('names each interpolated variable once, in order, in every syntax', () => {
    expect(variablesIn(':${A}-$B_2.${A:-x}${C-y}')).toEqual(['A', 'B_2', 'C']);
    expect(variablesIn(':20-alpine')).toEqual([]);
  });
});

describe('a name target carries the variables of its tag', () => {
  it('so the note can name them', () => {
    const { occurrences } = extractDockerfile(
      'ARG V=20\nARG OS=alpine\nFROM node:${V}-${OS}\n',
      'Dockerfile',
    );

    expect(occurrences.map((o) => o.target)).toEqual([
      {
        type: 'name',
        scalar: { start: 28, end: 32, style: 'dockerfile', value: 'node' },
        variables: ['V', 'OS'],
      },
    ]);
  });
});
