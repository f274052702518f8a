/**
 * LaTeX (or plain) expression → mathjs syntax, with every multiplication explicit so mathjs's own
 * implicit-multiplication precedence never decides a meaning. Variables become `v_<name>` so they
 * can never collide with mathjs constants (`E`, `pi`); `e`, `i` and `\pi` stay constants.
 * A degree sign is notation on a value (`45°` is 45) except inside a trigonometric function, where
 * it means π/180 (`\sin(90° - x)` is `\cos x`).
 */
import { tokenize, UnsupportedLatex, type Token } from './latex-tokens.ts';

export { UnsupportedLatex };

const MAX_DEPTH = 60;
const FUNCTIONS: Record<string, string> = {
  sin: 'sin', cos: 'cos', tan: 'tan', sec: 'sec', csc: 'csc', cot: 'cot', arcsin: 'asin', arccos: 'acos', arctan: 'atan',
  sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', ln: 'log', log: 'log10', lg: 'log10', exp: 'exp', abs: 'abs', sqrt: 'sqrt',
};
const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa', 'lambda',
  'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta',
  'Lambda', 'Xi', 'Sigma', 'Phi', 'Psi', 'Omega',
]);
const MATRIX_ENVIRONMENTS = new Set(['pmatrix', 'bmatrix', 'Bmatrix', 'matrix', 'smallmatrix', 'array', 'vmatrix']);
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '\\{': '\\}' };
const TRIGONOMETRIC = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot']);

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9]/g, '');
}

class Converter {
  private position = 0;
  private depth = 0;
  /** How many trigonometric arguments enclose the current position. */
  private trigonometric = 0;

  constructor(private readonly tokens: Token[]) {}


  convert(): string {
    const result = this.expression(new Set());
    if (this.position < this.tokens.length) throw new UnsupportedLatex(`unexpected '${this.describe(this.peek()!)}'`);
    if (result.trim() === '') throw new UnsupportedLatex('empty expression');
    return result;
  }

  private describe(token: Token): string {
    return token.type === 'environment' ? `\\begin{${token.name}}` : token.value;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isSymbol(token: Token | undefined, value: string): boolean {
    return token?.type === 'symbol' && token.value === value;
  }

  private expect(value: string): void {
    if (!this.isSymbol(this.peek(), value)) throw new UnsupportedLatex(`expected '${value}'`);
    this.position++;
  }

  /** Terms and operators until a token in `stops` (not consumed). */
  private expression(stops: Set<string>): string {
    if (++this.depth > MAX_DEPTH) throw new UnsupportedLatex('expression nested too deeply');
    const parts: string[] = [];
    let expectOperand = true;
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.type === 'symbol' && stops.has(token.value)) break;
      if (token.type === 'command' && stops.has(`\\${token.value}`)) break;
      const operator = this.binaryOperator(token);
      if (operator) {
        this.position++;
        if (expectOperand && (operator === '*' || operator === '/')) throw new UnsupportedLatex(`'${operator}' without a left operand`);
        parts.push(operator);
        expectOperand = true;
        continue;
      }
      if (token.type === 'symbol' && (token.value === '^' || token.value === '_' || token.value === '!' || token.value === "'" || token.value === '°')) {
        if (expectOperand) throw new UnsupportedLatex(`'${token.value}' without an operand`);
        parts[parts.length - 1] = this.postfix(parts[parts.length - 1]);
        continue;
      }
      // `1 1/2` or `12 34` is not a product: a mixed number or digit groups the normalizer did not read.
      if (!expectOperand && token.type === 'number' && /^[\d.]+$/.test(parts[parts.length - 1])) {
        throw new UnsupportedLatex('two numbers side by side');
      }
      const atom = this.atom();
      if (!expectOperand) parts.push('*');
      parts.push(atom);
      expectOperand = false;
    }
    if (expectOperand && parts.length > 0) throw new UnsupportedLatex('expression ends with an operator');
    this.depth--;
    return parts.join(' ');
  }

  private binaryOperator(token: Token): string | undefined {
    if (token.type === 'symbol') {
      if (token.value === '+' || token.value === '-') return token.value;
      if (token.value === '*') return '*';
      if (token.value === '/') return '/';
    }
    if (token.type === 'command') {
      if (token.value === 'cdot' || token.value === 'times' || token.value === 'ast') return '*';
      if (token.value === 'div') return '/';
    }
    return undefined;
  }

  /** `^`, `_`, `!` applied to the atom just read. */
  private postfix(base: string): string {
    const token = this.tokens[this.position++];
    if (token.type !== 'symbol') throw new UnsupportedLatex('bad postfix');
    if (token.value === '!') return `factorial(${base})`;
    if (token.value === '°') return this.trigonometric > 0 ? `(${base}) * (pi / 180)` : base;
    if (token.value === "'") throw new UnsupportedLatex('primes are compared as text');
    if (token.value === '_') {
      // A subscript names a variable (`x_1`, `a_{n+1}`); a number with a subscript is a base.
      if (!/^v_\w+$/.test(base)) throw new UnsupportedLatex('subscript on a non-variable (base notation?)');
      return `${base}_${sanitize(this.rawArgument())}`;
    }
    return `(${base}) ^ (${this.exponent()})`;
  }

  private exponent(): string {
    const token = this.peek();
    if (this.isSymbol(token, '-') || this.isSymbol(token, '+')) {
      this.position++;
      return `${token!.type === 'symbol' ? token!.value : ''}${this.atom()}`;
    }
    return this.atom();
  }

  /** The raw text of a `{…}` group or a single token, for subscripts. */
  private rawArgument(): string {
    const token = this.tokens[this.position++];
    if (!token) throw new UnsupportedLatex('missing subscript');
    if (!this.isSymbol(token, '{')) return token.type === 'environment' ? token.name : token.value;
    let text = '';
    for (let depth = 1; ; ) {
      const next = this.tokens[this.position++];
      if (!next) throw new UnsupportedLatex('unclosed subscript');
      if (this.isSymbol(next, '{')) depth++;
      if (this.isSymbol(next, '}') && --depth === 0) return text;
      text += next.type === 'environment' ? next.name : next.value;
    }
  }

  /** A required argument: `{…}` or one token (`\frac12`). */
  private argument(): string {
    if (this.isSymbol(this.peek(), '{')) {
      this.position++;
      const inner = this.expression(new Set(['}']));
      this.expect('}');
      if (inner === '') throw new UnsupportedLatex('empty argument');
      return `(${inner})`;
    }
    // TeX reads one character as an argument: `\frac43` is 4/3.
    const token = this.peek();
    if (token?.type === 'number' && token.value.length > 1) {
      this.tokens.splice(this.position, 1, { type: 'number', value: token.value[0] }, { type: 'number', value: token.value.slice(1) });
    }
    return this.atom();
  }

  private group(open: string): string {
    const close = CLOSERS[open];
    const inner = this.expression(new Set([close]));
    this.expect(close);
    if (inner === '') throw new UnsupportedLatex('empty brackets');
    return `(${inner})`;
  }

  private atom(): string {
    const token = this.tokens[this.position++];
    if (!token) throw new UnsupportedLatex('missing operand');
    switch (token.type) {
      case 'number':
        return token.value.startsWith('.') ? `0${token.value}` : token.value;
      case 'letter':
        if (token.value === 'e' || token.value === 'i') return token.value;
        return `v_${token.value}`;
      case 'environment':
        return this.matrix(token.name, token.body);
      case 'symbol':
        if (token.value in CLOSERS) return this.group(token.value);
        if (token.value === '|') {
          const inner = this.expression(new Set(['|']));
          this.expect('|');
          return `abs(${inner})`;
        }
        throw new UnsupportedLatex(`unexpected '${token.value}'`);
      case 'command':
        return this.command(token.value);
    }
  }

  private command(name: string): string {
    if (name === 'frac') return `(${this.argument()} / ${this.argument()})`;
    if (name === 'binom') return `combinations(${this.argument()}, ${this.argument()})`;
    if (name === 'sqrt') {
      if (this.isSymbol(this.peek(), '[')) {
        this.position++;
        const index = this.expression(new Set([']']));
        this.expect(']');
        return `nthRoot(${this.argument()}, ${index})`;
      }
      return `sqrt(${this.argument()})`;
    }
    if (name === 'pi') return 'pi';
    if (name === 'infty' || name === 'infin') return 'Infinity';
    if (GREEK.has(name)) return `v_${name}`;
    if (name === 'lfloor' || name === 'lceil') {
      const close = name === 'lfloor' ? '\\rfloor' : '\\rceil';
      const inner = this.expression(new Set([close]));
      if (this.peek()?.type !== 'command' || `\\${(this.peek() as { value: string }).value}` !== close) throw new UnsupportedLatex(`missing ${close}`);
      this.position++;
      return `${name === 'lfloor' ? 'floor' : 'ceil'}(${inner})`;
    }
    if (name in FUNCTIONS) return this.functionCall(FUNCTIONS[name]);
    throw new UnsupportedLatex(`unsupported command \\${name}`);
  }

  /** `\sin^2 x`, `\log_2 8`, `\sin(2x)`, `\sin 2x`. */
  private functionCall(fn: string): string {
    let power: string | undefined;
    let base: string | undefined;
    for (let token = this.peek(); this.isSymbol(token, '^') || this.isSymbol(token, '_'); token = this.peek()) {
      this.position++;
      if (this.isSymbol(token, '^')) power = this.exponent();
      else base = this.argument();
    }
    const trigonometric = TRIGONOMETRIC.has(fn) ? 1 : 0;
    this.trigonometric += trigonometric;
    const argument = this.functionArgument();
    this.trigonometric -= trigonometric;
    let call = fn === 'log10' && base !== undefined ? `log(${argument}, ${base})` : `${fn}(${argument})`;
    if (power !== undefined) call = `(${call}) ^ (${power})`;
    return call;
  }

  private functionArgument(): string {
    const next = this.peek();
    if (this.isSymbol(next, '(') || this.isSymbol(next, '{') || this.isSymbol(next, '[')) {
      this.position++;
      return this.group((next as { value: string }).value);
    }
    // Without brackets the argument runs over a product of plain factors: `\sin 2x` is sin(2x), `\cos 30°` is cos(π/6).
    const factors = [this.degrees(this.atom())];
    for (let token = this.peek(); token && (token.type === 'number' || token.type === 'letter' || (token.type === 'command' && (token.value === 'pi' || GREEK.has(token.value)))); token = this.peek()) {
      factors.push(this.degrees(this.atom()));
    }
    return factors.join(' * ');
  }

  private degrees(atom: string): string {
    return this.isSymbol(this.peek(), '°') ? this.postfix(atom) : atom;
  }

  private matrix(name: string, body: string): string {
    if (!MATRIX_ENVIRONMENTS.has(name)) throw new UnsupportedLatex(`unsupported environment ${name}`);
    const content = name === 'array' ? body.replace(/^\s*\{[^{}]*\}/, '') : body;
    const rows = content
      .split(/\\\\/)
      .map((row) => row.replace(/\\hline/g, '').trim())
      .filter((row) => row !== '');
    if (rows.length === 0) throw new UnsupportedLatex('empty matrix');
    const cells = rows.map((row) => row.split('&').map((cell) => latexToMathjs(cell)));
    if (cells.some((row) => row.length !== cells[0].length)) throw new UnsupportedLatex('ragged matrix');
    const matrix = `[${cells.map((row) => `[${row.join(', ')}]`).join(', ')}]`;
    return name === 'vmatrix' ? `det(${matrix})` : matrix;
  }
}

/** Converts one scalar (or matrix) expression; throws UnsupportedLatex for anything it cannot read. */
export function latexToMathjs(tex: string): string {
  return new Converter(tokenize(tex)).convert();
}
