import { RECONCILE_OPEN_EVERY_MS, RECONCILE_WINDOW_EVERY_MS, reconcileDue } from '../../src/sync/sync-jobs.js';

const NOW = Date.parse('2026-12-08T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('reconcile cadence (after an incremental)', () => {
  it('a stream never reconciled owes the window reconcile, which covers the open records', () => {
    expect(reconcileDue({ lastReconcileAt: null, lastOpenReconcileAt: null }, 'open', NOW)).toBe('window');
    expect(reconcileDue({ lastReconcileAt: null, lastOpenReconcileAt: ago(60_000) }, 'window', NOW)).toBe('window');
  });

  it('the open records hourly, the window daily', () => {
    const windowDone = ago(RECONCILE_WINDOW_EVERY_MS - 60_000);
    expect(reconcileDue({ lastReconcileAt: windowDone, lastOpenReconcileAt: ago(RECONCILE_OPEN_EVERY_MS - 1) }, 'open', NOW)).toBeNull();
    expect(reconcileDue({ lastReconcileAt: windowDone, lastOpenReconcileAt: ago(RECONCILE_OPEN_EVERY_MS) }, 'open', NOW)).toBe('open');
    expect(reconcileDue({ lastReconcileAt: ago(RECONCILE_WINDOW_EVERY_MS), lastOpenReconcileAt: ago(60_000) }, 'open', NOW)).toBe('window');
  });

  it('a stream with no open records (time entries, members) has the daily window only; one with no id list none', () => {
    const state = { lastReconcileAt: ago(RECONCILE_WINDOW_EVERY_MS - 60_000), lastOpenReconcileAt: null };
    expect(reconcileDue(state, 'window', NOW)).toBeNull();
    expect(reconcileDue({ ...state, lastReconcileAt: ago(RECONCILE_WINDOW_EVERY_MS + 1) }, 'window', NOW)).toBe('window');
    expect(reconcileDue({ lastReconcileAt: null, lastOpenReconcileAt: null }, false, NOW)).toBeNull();
  });
});
