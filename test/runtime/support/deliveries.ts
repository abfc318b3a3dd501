/** Collects values and lets a test wait until a number of them have arrived (the test's own timeout bounds it). */
export class Deliveries<T> {
  readonly values: T[] = [];
  #waiters: { count: number; resolve: () => void }[] = [];

  push(value: T): void {
    this.values.push(value);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.values.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  until(count: number): Promise<T[]> {
    if (this.values.length >= count) return Promise.resolve(this.values);
    return new Promise((resolve) => this.#waiters.push({ count, resolve: () => resolve(this.values) }));
  }
}
