import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

describe('numeric number formats', () => {
  it.each([
    ['1200', 'They sold 1,200 tickets.', '1200'],
    ['1234567', 'The answer is 1,234,567', '1234567'],
    ['18', 'She makes $18.00 every day.', '18'],
    ['25', 'The discount is 25%.', '25'],
    ['-7', 'The temperature ends at -7 degrees', '-7'],
    ['-7', 'The temperature ends at −7 degrees', '-7'],
    ['-5', 'The balance is -$5', '-5'],
    ['0.75', 'She ate 3/4 of the pie', '0.75'],
    ['3/4', 'The answer is 0.75', '0.75'],
    ['2.5', 'Each glass costs 2.50 dollars.', '2.5'],
    ['0.5', 'It weighs .5 kg', '0.5'],
    ['12', 'A: 12.', '12'],
  ])('gold %j, candidate %j → correct as %j', async (gold, candidate, extracted) => {
    expect(await judge(numeric, gold, candidate)).toMatchObject({ status: 'correct', extracted });
  });

  it('does not read a subtraction as a negative number', async () => {
    expect(await judge(numeric, '10', 'So x = 20 - 10')).toMatchObject({ status: 'correct', extracted: '10' });
  });

  it('skips GSM8K calculator annotations', async () => {
    expect((await judge(numeric, '7', 'She has 16 - 3 = <<16-3=13>>13 eggs and uses 6, leaving 7 eggs <<13-6=7>>')).extracted).toBe('7');
  });

  it('spells equal values the same way (majority voting)', async () => {
    const spellings = ['18', '18.0', '$18', '18.00', '#### 18', '\\boxed{18}'];
    const extracted = await Promise.all(spellings.map(async (s) => (await judge(numeric, '1', s)).extracted));
    expect(new Set(extracted)).toEqual(new Set(['18']));
  });

  it('calls text without a number unparseable with score 0', async () => {
    expect(await judge(numeric, '5', 'I do not know.')).toMatchObject({ status: 'unparseable', score: 0 });
    expect((await judge(numeric, '5', '')).status).toBe('unparseable');
  });
});
