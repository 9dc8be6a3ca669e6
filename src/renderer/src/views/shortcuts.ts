// The app's keyboard shortcuts: which key does what in which view. App.vue listens and acts;
// the footer lists SHORTCUTS.
import type { ViewName } from '../stores/navigation';

export type ShortcutAction = 'go-setup' | 'go-live' | 'go-history' | 'start' | 'stop' | 'toggle-pause' | 'toggle-help';

export interface Shortcut {
  keys: string;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '1 / 2 / 3', description: 'Setup / Live / History' },
  { keys: 'Ctrl+Enter', description: 'Start (in Setup)' },
  { keys: 'S', description: 'Stop the run (in Live)' },
  { keys: 'P', description: 'Pause or resume (in Live)' },
  { keys: '?', description: 'Show or hide shortcuts' },
];

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether the key went to a text field, select or other editable element. */
  inEditable: boolean;
}

/** Returns the action a key press triggers in `view`, or null when it triggers none. */
export function shortcutAction(input: KeyInput, view: ViewName): ShortcutAction | null {
  const command = input.ctrlKey || input.metaKey;
  if (command && !input.altKey && input.key === 'Enter') return view === 'setup' ? 'start' : null;
  if (command || input.altKey || input.inEditable) return null;

  switch (input.key) {
    case '1':
      return 'go-setup';
    case '2':
      return 'go-live';
    case '3':
      return 'go-history';
    case '?':
      return 'toggle-help';
    case 's':
    case 'S':
      return view === 'live' ? 'stop' : null;
    case 'p':
    case 'P':
      return view === 'live' ? 'toggle-pause' : null;
    default:
      return null;
  }
}
