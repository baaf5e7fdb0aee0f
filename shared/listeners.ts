// A tiny typed listener registry: the backend's event hub and the renderer's clients both use it,
// so subscribe/unsubscribe behaves the same on both sides of a transport.
export class Listeners<Events extends object> {
  private readonly byName = new Map<keyof Events, Set<(payload: never) => void>>();

  on<E extends keyof Events>(name: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  emit<E extends keyof Events>(name: E, payload: Events[E]): void {
    for (const listener of [...(this.byName.get(name) ?? [])]) {
      (listener as (payload: Events[E]) => void)(payload);
    }
  }

  count<E extends keyof Events>(name: E): number {
    return this.byName.get(name)?.size ?? 0;
  }
}
