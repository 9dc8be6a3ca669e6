// Follows the operating system's light or dark setting (prefers-color-scheme), for the parts
// of the page CSS cannot reach, such as Chart.js axis colours.
import { onScopeDispose, ref, type Ref } from 'vue';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Returns whether the OS prefers dark, kept current until the calling scope is disposed. */
export function usePrefersDark(): Ref<boolean> {
  const prefersDark = ref(false);
  if (typeof matchMedia !== 'function') return prefersDark;

  const query = matchMedia(DARK_QUERY);
  prefersDark.value = query.matches;
  const onChange = (event: MediaQueryListEvent): void => {
    prefersDark.value = event.matches;
  };
  query.addEventListener('change', onChange);
  onScopeDispose(() => query.removeEventListener('change', onChange));
  return prefersDark;
}

export interface AxisColors {
  grid: string;
  ticks: string;
}

export function axisColors(dark: boolean): AxisColors {
  return dark ? { grid: 'rgba(255, 255, 255, 0.08)', ticks: '#9aa4b2' } : { grid: 'rgba(0, 0, 0, 0.07)', ticks: '#5c6573' };
}
