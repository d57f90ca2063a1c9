// Progress snapshots for the UI: phase, tensor counts and the live transfer counters.
import type { LoadProgress } from '../core/types.ts';
import type { TransferCounter } from './http.ts';

export class ProgressReporter {
  private state: LoadProgress = {
    phase: 'resolving',
    tensorsDone: 0,
    tensorsTotal: 0,
    requests: 0,
    bytes: 0,
    totalModelBytes: null,
  };

  constructor(
    private readonly counter: TransferCounter,
    private readonly listener?: (p: LoadProgress) => void,
  ) {}

  update(patch: Partial<LoadProgress>): void {
    Object.assign(this.state, patch);
    this.emit();
  }

  addTensors(count: number): void {
    this.state.tensorsDone += count;
    this.emit();
  }

  private emit(): void {
    if (!this.listener) return;
    try {
      this.listener({ ...this.state, requests: this.counter.requests, bytes: this.counter.bytes });
    } catch {
      // a broken progress listener must not break the load
    }
  }
}
