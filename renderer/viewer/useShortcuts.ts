import { useEffect, useRef } from 'react';
import { isTextTarget, shortcutFor, widgetOwnsKey, type ShortcutAction } from './shortcuts.js';

/**
 * Calls `onAction` for the reading shortcuts pressed anywhere on the page while `enabled`. A key keeps its ordinary
 * meaning where it has one: text typed in a field, Space/Enter on a button, arrows in tabs or sliders, and anything
 * while a dialog or menu is open (it handles its own keys, Esc included).
 */
export function useShortcuts(onAction: (action: ShortcutAction, event: KeyboardEvent) => void, enabled = true): void {
  const handler = useRef(onAction);
  handler.current = onAction;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      if (document.querySelector('[role="dialog"], [role="presentation"].MuiPopover-root, [role="presentation"].MuiMenu-root')) return;
      const target = e.target;
      const inText = isTextTarget(target);
      // Esc in a field leaves the field (the next Esc goes back to the worklist).
      if (inText && e.key === 'Escape') {
        (target as HTMLElement).blur();
        e.preventDefault();
        return;
      }
      if (!inText && widgetOwnsKey(target, e.key)) return;
      const action = shortcutFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inText });
      if (!action) return;
      e.preventDefault();
      handler.current(action, e);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
