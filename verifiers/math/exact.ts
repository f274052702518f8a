/**
 * Exact rational values of constant expressions built from integer and decimal literals with
 * + − × ÷, integer powers, factorials and binomials, read from the mathjs text the LaTeX converter
 * writes. Floats cannot tell ½ from 0.5000000000000001 or 2^53 from 2^53 + 1; these can.
 */

export interface Rational {
  n: bigint;
  d: bigint;
}

/** Values beyond this many bits are not worth exact arithmetic: the float path decides them. */
const MAX_BITS = 20_000;
const LIMIT = 2n ** BigInt(MAX_BITS);
const MAX_FACTORIAL = 500;

class NotRational extends Error {}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function bits(value: bigint): number {
  return (value < 0n ? -value : value).toString(16).length * 4;
}

const tooLarge = (value: bigint) => value > LIMIT || value < -LIMIT;

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new NotRational();
  if (tooLarge(n) || tooLarge(d)) throw new NotRational();
  const sign = d < 0n ? -1n : 1n;
  const divisor = gcd(n, d) || 1n;
  return { n: (sign * n) / divisor, d: (sign * d) / divisor };
}

const add = (a: Rational, b: Rational) => rational(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Rational, b: Rational) => rational(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Rational, b: Rational) => rational(a.n * b.n, a.d * b.d);
const div = (a: Rational, b: Rational) => rational(a.n * b.d, a.d * b.n);

function power(base: Rational, exponent: Rational): Rational {
  if (exponent.d !== 1n) throw new NotRational();
  const e = exponent.n < 0n ? -exponent.n : exponent.n;
  if (e > 100_000n || (bits(base.n) + bits(base.d)) * Number(e) > MAX_BITS * 2) throw new NotRational();
  const raised = rational(base.n ** e, base.d ** e);
  return exponent.n < 0n ? div(rational(1n), raised) : raised;
}

function integer(value: Rational, max: number): number {
  if (value.d !== 1n || value.n < 0n || value.n > BigInt(max)) throw new NotRational();
  return Number(value.n);
}

function factorial(value: Rational): Rational {
  let product = 1n;
  for (let i = 2n, n = BigInt(integer(value, MAX_FACTORIAL)); i <= n; i++) product *= i;
  return rational(product);
}

function binomial(n: Rational, k: Rational): Rational {
  const top = integer(n, 100_000);
  const bottom = Math.min(integer(k, 100_000), top - integer(k, 100_000));
  if (bottom < 0) return rational(0n);
  if (bottom > MAX_FACTORIAL) throw new NotRational();
  let result = 1n;
  for (let i = 0; i < bottom; i++) result = (result * BigInt(top - i)) / BigInt(i + 1);
  return rational(result);
}

/** A decimal or integer literal as written, exactly (`0.1` is 1/10, `1.5e3` is 1500). */
export function parseLiteral(text: string): Rational | undefined {
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!match || (match[1] === '' && !match[2])) return undefined;
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? 0) - fraction.length;
  if (Math.abs(exponent) > 1_000) return undefined;
  const digits = BigInt(`${match[1]}${fraction}` || '0');
  return exponent >= 0 ? rational(digits * 10n ** BigInt(exponent)) : rational(digits, 10n ** BigInt(-exponent));
}

class Reader {
  private position = 0;
  private readonly tokens: string[];

  constructor(source: string) {
    this.tokens = source.match(/\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|[A-Za-z_]\w*|\S/g) ?? [];
  }

  read(): Rational {
    const value = this.sum();
    if (this.position !== this.tokens.length) throw new NotRational();
    return value;
  }

  private take(token: string): boolean {
    if (this.tokens[this.position] !== token) return false;
    this.position++;
    return true;
  }

  private sum(): Rational {
    let value = this.product();
    for (;;) {
      if (this.take('+')) value = add(value, this.product());
      else if (this.take('-')) value = sub(value, this.product());
      else return value;
    }
  }

  private product(): Rational {
    let value = this.unary();
    for (;;) {
      if (this.take('*')) value = mul(value, this.unary());
      else if (this.take('/')) value = div(value, this.unary());
      else return value;
    }
  }

  private unary(): Rational {
    if (this.take('-')) return sub(rational(0n), this.unary());
    if (this.take('+')) return this.unary();
    const base = this.primary();
    return this.take('^') ? power(base, this.unary()) : base;
  }

  private arguments(count: number): Rational[] {
    if (!this.take('(')) throw new NotRational();
    const values = [this.sum()];
    while (values.length < count && this.take(',')) values.push(this.sum());
    if (values.length !== count || !this.take(')')) throw new NotRational();
    return values;
  }

  private primary(): Rational {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new NotRational();
    if (token === '(') {
      const value = this.sum();
      if (!this.take(')')) throw new NotRational();
      return value;
    }
    if (/^[\d.]/.test(token)) {
      const value = parseLiteral(token);
      if (!value) throw new NotRational();
      return value;
    }
    if (token === 'factorial') return factorial(this.arguments(1)[0]);
    if (token === 'combinations') {
      const [n, k] = this.arguments(2);
      return binomial(n, k);
    }
    if (token === 'abs') {
      const [value] = this.arguments(1);
      return value.n < 0n ? rational(-value.n, value.d) : value;
    }
    throw new NotRational();
  }
}

/** The exact value of a mathjs expression text, or undefined when it is not a rational constant. */
export function exactValue(source: string): Rational | undefined {
  // Any other name (a variable, `sqrt`, `pi`) makes it irrational or unknown: no need to read further.
  if (/[a-zA-Z]/.test(source.replace(/factorial|combinations|abs|(?<=\d)[eE](?=[-+]?\d)/g, ''))) return undefined;
  try {
    return new Reader(source).read();
  } catch (error) {
    if (error instanceof NotRational || error instanceof RangeError) return undefined;
    throw error;
  }
}

export function rationalsEqual(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

export function subtract(a: Rational, b: Rational): Rational {
  return sub(a, b);
}

export function multiply(a: Rational, b: Rational): Rational {
  return mul(a, b);
}

/** Whether the decimal expansion ends: the reduced denominator has no prime factor but 2 and 5. */
export function terminates(value: Rational): boolean {
  let d = value.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  return d === 1n;
}

export function toNumber(value: Rational): number {
  return Number(value.n) / Number(value.d);
}
