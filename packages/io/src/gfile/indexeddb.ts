/**
 * `indexeddb://` backend: files live in one object store ('files') of the IndexedDB database
 * 'eagerflow-gfile' (browser). Each write is one readwrite transaction, so writes and renames
 * are atomic. Pass another IDBFactory (e.g. a fake in tests) with `new IndexedDBStore(factory)`.
 */
import type { KVEntry, KVStore } from './kv.js';
import { GFileError } from './types.js';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export class IndexedDBStore implements KVStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly factory?: IDBFactory,
    readonly dbName = 'eagerflow-gfile',
    readonly storeName = 'files',
  ) {}

  private open(): Promise<IDBDatabase> {
    if (!this.db) {
      const f = this.factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
      if (!f) {
        return Promise.reject(new GFileError('indexeddb:// paths need IndexedDB (a browser, or an IDBFactory passed to IndexedDBStore)', 'UNSUPPORTED'));
      }
      this.db = new Promise((resolve, reject) => {
        const r = f.open(this.dbName, 1);
        r.onupgradeneeded = () => {
          if (!r.result.objectStoreNames.contains(this.storeName)) r.result.createObjectStore(this.storeName);
        };
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error(`cannot open IndexedDB database '${this.dbName}'`));
      });
    }
    return this.db;
  }

  async get(key: string): Promise<KVEntry | undefined> {
    const db = await this.open();
    const v = await req(db.transaction(this.storeName, 'readonly').objectStore(this.storeName).get(key));
    return (v as KVEntry | undefined) ?? undefined;
  }

  async keys(): Promise<string[]> {
    const db = await this.open();
    return (await req(db.transaction(this.storeName, 'readonly').objectStore(this.storeName).getAllKeys())) as string[];
  }

  async batch(puts: [string, KVEntry][], deletes: string[]): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(this.storeName, 'readwrite');
    const store = tx.objectStore(this.storeName);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    for (const k of deletes) store.delete(k);
    for (const [k, v] of puts) store.put(v, k);
    await done;
  }
}
