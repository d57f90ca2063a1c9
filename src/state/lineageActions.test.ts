import { describe, expect, it } from 'vitest';
import { familyFromQuery } from './lineageActions';

describe('familyFromQuery', () => {
  it('reads family= and limit=, and says what is wrong', () => {
    expect(familyFromQuery({})).toBeNull();
    expect(familyFromQuery({ family: 'org/base', limit: '5' })).toEqual({ base: 'org/base', limit: 5 });
    expect(familyFromQuery({ family: 'org/base@main', limit: 'lots' })).toEqual({ base: 'org/base', limit: undefined });
    expect(familyFromQuery({ family: 'base' })).toHaveProperty('error');
    expect(familyFromQuery({ family: 'a/b/c' })).toHaveProperty('error');
  });
});
