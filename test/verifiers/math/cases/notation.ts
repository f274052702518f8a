import type { Case } from './types.ts';

/** Units and words after a number are dropped on either side alike; different units are not converted. */
export const units: Case[] = [
  ['10 weeks', '10', 'correct'],
  ['10', '10 weeks', 'correct'],
  ['10weeks', '10', 'correct'],
  ['10', '10weeks', 'correct'],
  ['10 square units', '10', 'correct'],
  ['10', '10 square units', 'correct'],
  ['10 cm^2', '10', 'correct'],
  ['10', '10 cm^2', 'correct'],
  ['15\\text{ cm}^2', '15', 'correct'],
  ['15', '15\\text{ cm}^2', 'correct'],
  ['5.4 \\text{ cents}', '5.4', 'correct'],
  ['12\\text{ inches}', '12 inches', 'correct'],
  ['6\\text{ sq ft}', '6\\text{ ft}^2', 'correct'],
  ['10000', '10,000\\text{ dollars}', 'correct'],
  ['10,000\\text{ dollars}', '10001', 'incorrect'],
  ['10 weeks', '11 weeks', 'incorrect'],
  ['10 weeks', '11', 'incorrect'],
  ['11', '10 weeks', 'incorrect'],
  ['10\\text{ cm}', '100\\text{ cm}', 'incorrect'],
  ['10 cm^2', '100', 'incorrect'],
  ['10\\text{ cm}', '10\\text{ m}', 'unparseable'],
  ['70 days', '10 weeks', 'unparseable'],
  ['6xyz', '6', 'incorrect'],
  ['2ab', '2', 'incorrect'],
];

/** Base subscripts are one answer, with or without braces; another base or other digits are not. */
export const bases: Case[] = [
  ['4210_{7}', '4210_7', 'correct'],
  ['4210_7', '4210_{7}', 'correct'],
  ['4210_7', '4210', 'correct'],
  ['1A_{16}', '1a_{16}', 'correct'],
  ['4210_7', '4211_7', 'incorrect'],
  ['4210_7', '4201_7', 'incorrect'],
  ['4210_7', '4210_8', 'incorrect'],
  ['4210_7', '7', 'incorrect'],
  ['4210_7', '1476', 'incorrect'],
  ['4210_7', '1477', 'unparseable'],
  ['1477', '4210_7', 'unparseable'],
];

/** The degree sign on a value is notation; inside a trigonometric function it means π/180. */
export const degrees: Case[] = [
  ['45^\\circ', '45', 'correct'],
  ['45', '45^\\circ', 'correct'],
  ['30^\\circ', '30°', 'correct'],
  ['\\frac{270}7\\text{ degrees}', '\\frac{270}{7}^\\circ', 'correct'],
  ['\\frac{\\sqrt3}{2}', '\\cos 30^\\circ', 'correct'],
  ['\\frac{1}{2}', '\\sin(30^\\circ)', 'correct'],
  ['45^\\circ', '46', 'incorrect'],
  ['30^\\circ', '\\frac{\\pi}{6}', 'incorrect'],
  ['\\frac{\\pi}{6}', '30^\\circ', 'incorrect'],
  ['\\frac{\\pi}{2}', '90^\\circ', 'incorrect'],
  ['\\frac{\\sqrt3}{2}', '\\cos 30', 'incorrect'],
  ['\\frac12', '\\sin 30', 'incorrect'],
];
