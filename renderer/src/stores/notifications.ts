// Notifications in the window: worded in the user's language and shown by the Notification API — a
// desktop notification in Electron, the browser's in headless mode (asked for once) — or inside the page
// when that is denied or missing. Clicking one opens its post-mortem. Electron main counts them on the tray.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { Notification as ProctorNotification } from '../../../shared/model';
import { useClient } from '../api';
import { i18n } from '../i18n';
import { usePostMortemsStore } from './postmortems';
import { useUiStore } from './ui';

export type BrowserPermission = NotificationPermission | 'unsupported';

/** Set once the browser was asked, so a user who dismissed the prompt is not asked again. */
const ASKED_KEY = 'proctor.notifications.asked';

function permissionNow(): BrowserPermission {
  return typeof window.Notification === 'function' ? window.Notification.permission : 'unsupported';
}

export function notificationWords(n: ProctorNotification): string {
  const t = i18n.global.t;
  if (n.kind === 'summary') return t('notify.summaryMessage', { program: n.program, n: n.held?.count ?? 0 });
  return t(`notify.${n.kind}Message`, { program: n.program, reason: n.reason ?? '' });
}

export const useNotificationsStore = defineStore('notifications', () => {
  const client = useClient();
  const permission = shallowRef<BrowserPermission>(permissionNow());

  /** Asks the browser (from a click in the settings, or once at the first notification). */
  async function ask(): Promise<void> {
    if (permission.value === 'unsupported') return;
    localStorage.setItem(ASKED_KEY, '1');
    permission.value = await window.Notification.requestPermission();
  }

  function show(n: ProctorNotification): void {
    const text = notificationWords(n);
    const openIt = (): void => {
      if (n.postmortemId) void usePostMortemsStore().open(n.program, n.postmortemId);
    };
    if (permission.value === 'granted') {
      const shown = new window.Notification('Proctor', { body: text, tag: `${n.program}-${n.kind}` });
      shown.onclick = () => {
        window.focus();
        openIt();
      };
      return;
    }
    // The fallback: in the page, where it cannot be missed while the window is open.
    useUiStore().notify(text, 'error');
    if (
      client.transport === 'websocket' &&
      permission.value === 'default' &&
      !localStorage.getItem(ASKED_KEY)
    ) {
      void ask();
    }
  }

  let started = false;
  function startListening(): void {
    if (started) return;
    started = true;
    client.on('notification', show);
  }

  return { permission, ask, startListening };
});
