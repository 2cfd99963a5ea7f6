/**
 * A result remembered while the same inputs come again: a pull request's base and head share the entity
 * objects of the files they both hold (model/build.ts), so a rule's part that reads only what the change left
 * alone is worked out once for both. Lists compare item by item by identity (the same objects in the same
 * order), anything else by identity. One memo per call site; it keeps the last inputs only.
 */
export class InputMemo<T> {
  private inputs?: readonly unknown[];
  private value?: T;

  get(inputs: readonly unknown[], compute: () => T): T {
    if (this.inputs && sameInputs(this.inputs, inputs)) return this.value as T;
    this.value = compute();
    this.inputs = inputs;
    return this.value;
  }
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}
