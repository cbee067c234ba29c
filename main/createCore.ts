import { join } from 'node:path';
import { operations, type CoreApi, type OperationName } from './api/contract.js';
import type { EventName, EventPayload } from './api/events.js';
import { openDatabase } from './db/connection.js';
import type { CoreConfig, CoreContext, Resource, ResourceHandler, Service } from './core/context.js';
import { EventBus, type Unsubscribe } from './core/eventBus.js';
import { JobRunner } from './core/jobRunner.js';
import { serviceFactories } from './core/services.js';

export interface Core {
  /** The operations of the contract, implemented. Transports call them through `dispatch`. */
  readonly api: CoreApi;
  readonly ctx: CoreContext;
  subscribe<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): Unsubscribe;
  /** Resolves a `/files/...` resource path for whichever transport is serving it. */
  resource(path: string): Promise<Resource | null>;
  close(): Promise<void>;
}

export interface CreateCoreOptions {
  /** Operations no service implements yet are allowed (tests of one domain); by default they are an error. */
  allowMissing?: boolean;
}

/** The composition root: config → database → services. Everything the workstation does starts here. */
export function createCore(config: CoreConfig, options: CreateCoreOptions = {}): Core {
  const db = openDatabase(join(config.dataDir, 'index.sqlite'));
  const events = new EventBus();
  const jobs = new JobRunner(events);
  const ctx: CoreContext = { config, db, events, jobs };

  const services: Service[] = [];
  const api: Partial<Record<OperationName, unknown>> = {};
  const handlers: ResourceHandler[] = [];
  try {
    for (const factory of serviceFactories) {
      const service = factory(ctx);
      services.push(service);
      for (const [key, fn] of Object.entries(service)) {
        if (key === 'resources' || key === 'dispose') continue;
        if (key in api) throw new Error(`operation ${key} is implemented by two services`);
        api[key as OperationName] = fn;
      }
      handlers.push(...(service.resources ?? []));
    }
    const missing = Object.keys(operations).filter((name) => !(name in api));
    if (missing.length && !options.allowMissing) throw new Error(`operations without an implementation: ${missing.join(', ')}`);
  } catch (err) {
    db.close();
    throw err;
  }
  handlers.sort((a, b) => b.prefix.length - a.prefix.length);

  return {
    api: api as CoreApi,
    ctx,
    subscribe: (name, fn) => events.subscribe(name, fn),
    async resource(path) {
      const url = new URL(path, 'http://local');
      const pathname = decodeURIComponent(url.pathname);
      if (pathname.includes('..')) return null;
      const handler = handlers.find((h) => pathname.startsWith(h.prefix));
      return handler ? handler.handle(pathname.slice(handler.prefix.length), url.searchParams) : null;
    },
    async close() {
      await jobs.shutdown();
      for (const s of services.reverse()) await s.dispose?.();
      db.close();
    },
  };
}
