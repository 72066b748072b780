/**
 * Said by the use cases whenever durable work is queued; the job runner listens and starts on it now
 * rather than at its next poll. Saying it with nobody listening (tests without background work) is fine.
 */
export class WorkQueuedSignal {
  private readonly listeners = new Set<() => void>();

  readonly notify = (): void => {
    for (const listener of this.listeners) listener();
  };

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
