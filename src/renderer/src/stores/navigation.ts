// Which view is shown and which run the live view shows. The app has three views and no URLs
// to keep, so a store replaces a router.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const VIEW_NAMES = ['setup', 'live', 'history'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>('setup');
  /** The run the live view shows; null lets the live view pick the latest run. */
  const liveRunId = ref<number | null>(null);

  function go(target: ViewName): void {
    view.value = target;
  }

  function openRun(runId: number): void {
    liveRunId.value = runId;
    view.value = 'live';
  }

  return { view, liveRunId, go, openRun };
});
