import { describe, expect, it } from 'vitest';
import { closestModel, isListed } from '../../src/health/suggest.js';
import { editDistance } from '../../src/text/did-you-mean.js';

describe('did you mean', () => {
  const listed = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o3-mini', 'text-embedding-3-small'];

  it('suggests the nearest listed model for a typo', () => {
    expect(closestModel('gpt-4o-mni', listed)).toBe('gpt-4o-mini');
    expect(closestModel('gtp-4o', listed)).toBe('gpt-4o'); // a swap counts as one edit
    expect(closestModel('GPT-4O-MINI', listed)).toBe('gpt-4o-mini');
  });

  it('suggests nothing for a name that is not a plausible typo', () => {
    expect(closestModel('claude-3-5-sonnet', listed)).toBeUndefined();
    expect(closestModel('gpt-4o', [])).toBeUndefined();
  });

  it('counts a model listed under a models/ prefix, or in another case, as listed', () => {
    expect(isListed('gemini-2.0-flash', ['models/gemini-2.0-flash'])).toBe(true);
    expect(isListed('GPT-4o', ['gpt-4o'])).toBe(true);
    expect(isListed('gpt-4o', ['gpt-4o-mini'])).toBe(false);
  });

  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
