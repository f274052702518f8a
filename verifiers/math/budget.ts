/** A comparison's time budget: checked between units of work so hostile input cannot hang a verdict. */
export class BudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`comparison exceeded its ${budgetMs} ms budget`);
  }
}

export class Budget {
  private readonly deadline: number;

  constructor(
    private readonly budgetMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.deadline = performance.now() + budgetMs;
  }

  check(): void {
    if (this.signal?.aborted || performance.now() > this.deadline) throw new BudgetExceeded(this.budgetMs);
  }
}
