/** A tiny in-memory stand-in for the IndexedDB API: just what IndexedDBStore uses (tests only). */
type Req = { result: unknown; error: unknown; onsuccess: (() => void) | null; onerror: (() => void) | null; onupgradeneeded?: (() => void) | null };

function request(compute: () => unknown): Req {
  const r: Req = { result: undefined, error: null, onsuccess: null, onerror: null };
  queueMicrotask(() => {
    try {
      r.result = compute();
      r.onsuccess?.();
    } catch (e) {
      r.error = e;
      r.onerror?.();
    }
  });
  return r;
}

export function fakeIndexedDB(): IDBFactory {
  const dbs = new Map<string, Map<string, Map<unknown, unknown>>>();
  const factory = {
    open(name: string) {
      const r: Req = { result: undefined, error: null, onsuccess: null, onerror: null, onupgradeneeded: null };
      setTimeout(() => {
        const isNew = !dbs.has(name);
        if (isNew) dbs.set(name, new Map());
        const stores = dbs.get(name)!;
        const db = {
          objectStoreNames: { contains: (s: string) => stores.has(s) },
          createObjectStore: (s: string) => stores.set(s, new Map()),
          transaction(storeName: string) {
            const tx: Record<string, unknown> & { oncomplete: (() => void) | null } = { oncomplete: null, onerror: null, onabort: null, error: null };
            const data = stores.get(storeName)!;
            tx.objectStore = () => ({
              get: (k: unknown) => request(() => (data.has(k) ? structuredClone(data.get(k)) : undefined)),
              getAllKeys: () => request(() => [...data.keys()].sort()),
              put: (v: unknown, k: unknown) => request(() => data.set(k, structuredClone(v))),
              delete: (k: unknown) => request(() => data.delete(k)),
            });
            setTimeout(() => tx.oncomplete?.(), 0);
            return tx;
          },
        };
        r.result = db;
        if (isNew) r.onupgradeneeded?.();
        r.onsuccess?.();
      }, 0);
      return r;
    },
  };
  return factory as unknown as IDBFactory;
}
