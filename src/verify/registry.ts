import { VerifierError } from '../errors.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import type { AnyVerifier } from './define.ts';

/** The one place verifiers are looked up by id: built-ins plus loaded plug-ins. */
export class VerifierRegistry {
  readonly #verifiers = new Map<string, AnyVerifier>();

  constructor(verifiers: Iterable<AnyVerifier> = []) {
    for (const verifier of verifiers) this.register(verifier);
  }

  register(verifier: AnyVerifier): void {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(verifier.id)) {
      throw new VerifierError('VERIFIER_PLUGIN', `verifier id '${verifier.id}' must be lowercase letters, digits, '.', '_' or '-'`);
    }
    if (this.#verifiers.has(verifier.id)) {
      throw new VerifierError('VERIFIER_DUPLICATE', `a verifier with id '${verifier.id}' is already registered`);
    }
    this.#verifiers.set(verifier.id, verifier);
  }

  has(id: string): boolean {
    return this.#verifiers.has(id);
  }

  get(id: string): AnyVerifier {
    const verifier = this.#verifiers.get(id);
    if (!verifier) {
      throw new VerifierError(
        'VERIFIER_UNKNOWN',
        `unknown verifier '${id}'.${didYouMean(id, this.#verifiers.keys())} Known: ${[...this.#verifiers.keys()].join(', ')}.`,
      );
    }
    return verifier;
  }

  list(): AnyVerifier[] {
    return [...this.#verifiers.values()];
  }

  async dispose(): Promise<void> {
    await Promise.all(this.list().map((verifier) => verifier.dispose?.()));
  }
}
