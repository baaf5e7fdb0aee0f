// The backend's settings, the app's identity, and the window-only theme choice.
import { defineStore } from 'pinia';
import { shallowRef, watchEffect } from 'vue';
import type { AppInfo, Settings } from '../../../shared/model';
import type { RequestOf } from '../../../shared/contract';
import { useClient } from '../api';
import { setLanguage } from '../i18n';
import { useProcessStore } from './processes';

export type ThemeChoice = 'system' | 'dark' | 'light';
const THEME_KEY = 'proctor.theme';

function storedTheme(): ThemeChoice {
  const stored = localStorage.getItem(THEME_KEY);
  return stored === 'dark' || stored === 'light' ? stored : 'system';
}

export const useSettingsStore = defineStore('settings', () => {
  const client = useClient();
  const processes = useProcessStore();
  const settings = shallowRef<Settings | null>(null);
  const appInfo = shallowRef<AppInfo | null>(null);
  const theme = shallowRef<ThemeChoice>(storedTheme());

  watchEffect(() => {
    // "system" leaves the attribute off so the CSS follows prefers-color-scheme.
    if (theme.value === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme.value;
  });

  function setTheme(choice: ThemeChoice): void {
    theme.value = choice;
    localStorage.setItem(THEME_KEY, choice);
  }

  async function load(): Promise<void> {
    const [info, current] = await Promise.all([
      client.invoke('app:info', {}),
      client.invoke('settings:get', {}),
    ]);
    if (info.ok) appInfo.value = info.value;
    if (current.ok) apply(current.value);
  }

  function apply(next: Settings): void {
    settings.value = next;
    setLanguage(next.language);
  }

  async function update(patch: RequestOf<'settings:set'>) {
    const result = await client.invoke('settings:set', patch);
    if (result.ok) apply(result.value);
    return result;
  }

  // Another window may change them too.
  client.on('settings:changed', apply);

  async function setPaused(paused: boolean) {
    const result = await client.invoke('monitor:setPaused', { paused });
    if (result.ok) processes.stats = result.value;
    return result;
  }

  return { settings, appInfo, theme, setTheme, load, update, setPaused };
});
