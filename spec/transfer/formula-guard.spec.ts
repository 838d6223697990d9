import { describe, expect, it } from 'vitest';
import { guardFormula, unguardFormula } from '../../src/transfer/formula-guard.js';

describe('formula guard', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', "'\rCR"],
    ["'quoted", "''quoted"],
    ['plain', 'plain'],
    ['', ''],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
  ])('guards %j as %j and the import undoes exactly that', (text, guarded) => {
    expect(guardFormula(text)).toBe(guarded);
    expect(unguardFormula(guardFormula(text))).toBe(text);
  });

  it("leaves a leading ' that is not a guard alone", () => {
    expect(unguardFormula("'hello")).toBe("'hello");
    expect(unguardFormula("'")).toBe("'");
  });
});
