import type { AuditTrail } from '../audit/auditTrail.js';
import type { EventBus } from '../platform/eventBus.js';
import type { Service } from './service.js';

/** Who the workstation acts as: shown by the report panel ("Signing as …") and set in Settings or by `cxr reader`. */
export function createReaderService(deps: { audit: AuditTrail; events: EventBus }): Service {
  return {
    'reader:get': async () => deps.audit.reader(),
    'reader:set': async ({ name }) => {
      const reader = deps.audit.setReader(name);
      deps.events.emit('reader:onDidChange', reader);
      return reader;
    },
  };
}
