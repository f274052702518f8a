import { describe, expect, it } from 'vitest';
import { VerifierError } from '../../../src/errors.ts';
import { parseVerifierOptions } from '../../../src/verify/run.ts';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

describe('numeric tolerance', () => {
  it('is exact (up to 1e-6) by default', async () => {
    expect((await judge(numeric, '0.3333', '1/3')).status).toBe('incorrect');
    expect((await judge(numeric, '100', '100.0000001')).status).toBe('correct');
  });

  it('accepts differences within absoluteTolerance', async () => {
    expect((await judge(numeric, '3.14', '3.1416', { absoluteTolerance: 0.01 })).status).toBe('correct');
    expect((await judge(numeric, '3.14', '3.2', { absoluteTolerance: 0.01 })).status).toBe('incorrect');
  });

  it('accepts differences within relativeTolerance of the larger magnitude', async () => {
    expect((await judge(numeric, '1000', '1009', { relativeTolerance: 0.01 })).status).toBe('correct');
    expect((await judge(numeric, '1000', '1011', { relativeTolerance: 0.01 })).status).toBe('incorrect');
  });

  it('rejects negative tolerances and unknown options', () => {
    expect(() => parseVerifierOptions(numeric, { absoluteTolerance: -1 })).toThrow(VerifierError);
    expect(() => parseVerifierOptions(numeric, { tolerance: 0.1 })).toThrow(/tolerance/);
    expect(() => parseVerifierOptions(numeric, { extract: ['nowhere'] })).toThrow(/extract/);
  });
});
