/**
 * The reading screen's keyboard shortcuts, as data: one table drives the key handler and the shortcut sheet (`?`),
 * so the sheet can never list a key that does nothing. Keys are `KeyboardEvent.key` values (layout-independent for
 * letters); `ctrl` also matches ⌘ on a Mac.
 */
export type ShortcutAction =
  | 'presetDefault'
  | 'presetAuto'
  | 'presetFull'
  | 'presetHigh'
  | 'presetLow'
  | 'invert'
  | 'zoomIn'
  | 'zoomOut'
  | 'fit'
  | 'rotateRight'
  | 'rotateLeft'
  | 'flipH'
  | 'flipV'
  | 'reset'
  | 'toolWindow'
  | 'toolPan'
  | 'toolZoom'
  | 'toolRuler'
  | 'toolAngle'
  | 'toolEllipse'
  | 'toolCtr'
  | 'showTags'
  | 'nextImage'
  | 'previousImage'
  | 'nextStudy'
  | 'previousStudy'
  | 'toggleAiOverlays'
  | 'togglePatientText'
  | 'togglePrior'
  | 'nextFinding'
  | 'previousFinding'
  | 'acceptFinding'
  | 'rejectFinding'
  | 'signAndNext'
  | 'backToWorklist'
  | 'showShortcuts';

export type ShortcutGroup = 'image' | 'tools' | 'navigation' | 'ai' | 'report' | 'general';

export interface Shortcut {
  action: ShortcutAction;
  group: ShortcutGroup;
  /** Any of these keys triggers the action; shown in the sheet as written here (with "Ctrl+" when `ctrl`). */
  keys: string[];
  ctrl?: boolean;
  /** Also active while typing in a text field (only what cannot be typed as text). */
  inText?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'presetDefault', group: 'image', keys: ['1'] },
  { action: 'presetAuto', group: 'image', keys: ['2'] },
  { action: 'presetFull', group: 'image', keys: ['3'] },
  { action: 'presetHigh', group: 'image', keys: ['4'] },
  { action: 'presetLow', group: 'image', keys: ['5'] },
  { action: 'invert', group: 'image', keys: ['i'] },
  { action: 'zoomIn', group: 'image', keys: ['+', '='] },
  { action: 'zoomOut', group: 'image', keys: ['-', '−'] },
  { action: 'fit', group: 'image', keys: ['f'] },
  { action: 'rotateRight', group: 'image', keys: ['r'] },
  { action: 'rotateLeft', group: 'image', keys: ['R'] },
  { action: 'flipH', group: 'image', keys: ['h'] },
  { action: 'flipV', group: 'image', keys: ['v'] },
  { action: 'reset', group: 'image', keys: ['0'] },
  { action: 'togglePatientText', group: 'image', keys: ['t'] },
  { action: 'toolWindow', group: 'tools', keys: ['w'] },
  { action: 'toolPan', group: 'tools', keys: ['p'] },
  { action: 'toolZoom', group: 'tools', keys: ['z'] },
  { action: 'toolRuler', group: 'tools', keys: ['m'] },
  { action: 'toolAngle', group: 'tools', keys: ['a'] },
  { action: 'toolEllipse', group: 'tools', keys: ['e'] },
  { action: 'toolCtr', group: 'tools', keys: ['q'] },
  { action: 'showTags', group: 'tools', keys: ['d'] },
  { action: 'nextImage', group: 'navigation', keys: ['ArrowRight'] },
  { action: 'previousImage', group: 'navigation', keys: ['ArrowLeft'] },
  { action: 'nextStudy', group: 'navigation', keys: ['ArrowDown', 'PageDown'] },
  { action: 'previousStudy', group: 'navigation', keys: ['ArrowUp', 'PageUp'] },
  { action: 'togglePrior', group: 'navigation', keys: ['c'] },
  { action: 'backToWorklist', group: 'navigation', keys: ['Escape'] },
  { action: 'toggleAiOverlays', group: 'ai', keys: [' '] },
  { action: 'nextFinding', group: 'ai', keys: ['j'] },
  { action: 'previousFinding', group: 'ai', keys: ['k'] },
  { action: 'acceptFinding', group: 'ai', keys: ['y'] },
  { action: 'rejectFinding', group: 'ai', keys: ['x'] },
  { action: 'signAndNext', group: 'report', keys: ['Enter'], ctrl: true, inText: true },
  { action: 'showShortcuts', group: 'general', keys: ['?'] },
];

/** The part of a keyboard event the table is matched on (a parameter so tests need no DOM event). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Typing in a field (input, textarea, select, contenteditable): only `inText` shortcuts apply there. */
  inText: boolean;
}

/** The action a key press asks for, or null (the key then keeps its ordinary meaning). */
export function shortcutFor(press: KeyPress, table: readonly Shortcut[] = SHORTCUTS): ShortcutAction | null {
  if (press.altKey) return null;
  const ctrl = press.ctrlKey || press.metaKey;
  for (const s of table) {
    if (!s.keys.includes(press.key)) continue;
    if (Boolean(s.ctrl) !== ctrl) continue;
    if (press.inText && !s.inText) continue;
    return s.action;
  }
  return null;
}

/** Whether an element takes typed text (so letters typed there are text, not shortcuts). */
export function isTextTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || el.isContentEditable) return true;
  if (tag !== 'input') return false;
  const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'reset', 'file', 'color'].includes(type);
}

const WIDGET_ROLES = new Set(['button', 'tab', 'slider', 'menuitem', 'option', 'listbox', 'combobox', 'radio', 'switch', 'checkbox', 'spinbutton', 'grid', 'row', 'link']);

/**
 * Whether the focused element already gives this key a meaning (Space and Enter press a button, arrows move in tabs,
 * sliders and lists): then the shortcut yields to it, as a keyboard user expects.
 */
export function widgetOwnsKey(target: EventTarget | null, key: string): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (![' ', 'Enter', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'].includes(key)) return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'button' || tag === 'a' || tag === 'summary') return key === ' ' || key === 'Enter';
  const role = el.getAttribute('role');
  return role !== null && WIDGET_ROLES.has(role);
}

/** How a key is written in the sheet. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = { ' ': 'Space', ArrowRight: '→', ArrowLeft: '←', ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc', Backspace: '⌫' };
  if (names[key]) return names[key]!;
  if (key.length === 1 && key !== key.toLowerCase()) return `Shift+${key}`;
  return key;
}
