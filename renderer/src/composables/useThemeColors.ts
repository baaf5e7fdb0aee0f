import { onBeforeUnmount, shallowRef, watch } from 'vue';
import { useSettingsStore } from '../stores/settings';

/**
 * Canvas needs real colours, not `var()` or `light-dark()`: resolve theme tokens through an element's
 * computed style. `version` changes when the theme does, so a chart can redraw in the new colours.
 */
export function useThemeColors() {
  const settings = useSettingsStore();
  const version = shallowRef(0);
  const media = matchMedia('(prefers-color-scheme: dark)');
  const bump = () => version.value++;
  media.addEventListener('change', bump);
  watch(() => settings.theme, bump);
  onBeforeUnmount(() => media.removeEventListener('change', bump));

  function resolve(element: HTMLElement, token: string): string {
    const probe = document.createElement('span');
    probe.style.color = `var(${token})`;
    element.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  }

  return { version, resolve };
}
