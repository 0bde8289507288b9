import { Dexie } from 'dexie';
import { IDBKeyRange } from 'fake-indexeddb';
import { TillDb } from '../../../pwa/src/db/index.ts';
import type { LocksLike } from '../../../pwa/src/features/sync/sync-engine.ts';

/** What a simulated till has of a browser: a Web-Locks-like lock for its tabs, and its own IndexedDB. */

/**
 * The Web Locks API for the tabs of one till: an exclusive lock per name, granted in request
 * order, held until the callback's promise settles. A closed tab's engine lets go in `stop()`.
 */
export class TillLocks implements LocksLike {
  readonly #queues = new Map<string, Array<() => void>>();
  readonly #held = new Set<string>();

  request(name: string, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = () => {
        this.#held.add(name);
        let result: Promise<void>;
        try {
          result = Promise.resolve(callback());
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(resolve, reject).finally(() => {
          this.#held.delete(name);
          const next = this.#queues.get(name)?.shift();
          next?.();
        });
      };
      if (this.#held.has(name)) {
        const queue = this.#queues.get(name) ?? [];
        queue.push(run);
        this.#queues.set(name, queue);
      } else {
        run();
      }
    });
  }
}

/** Opens a Dexie connection to the till's database in the till's own fake-indexeddb factory. */
export function openTillDb(factory: IDBFactory, name: string): TillDb {
  // Dexie reads its IndexedDB from `Dexie.dependencies` when a database object is constructed;
  // TillDb takes no options, so the till's factory is put there just for the constructor.
  const dependencies = Dexie.dependencies;
  const saved = { indexedDB: dependencies.indexedDB, IDBKeyRange: dependencies.IDBKeyRange };
  dependencies.indexedDB = factory;
  dependencies.IDBKeyRange = IDBKeyRange;
  try {
    return new TillDb(name);
  } finally {
    dependencies.indexedDB = saved.indexedDB;
    dependencies.IDBKeyRange = saved.IDBKeyRange;
  }
}
