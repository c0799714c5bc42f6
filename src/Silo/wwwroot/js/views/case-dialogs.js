// The case view's dialogs that need nothing of the view but its case: the confirmation hold's confirm and override,
// and an administrator's purge of an ended case's payloads.

import { confirmCancel, overrideCancel, purgeCase } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { h } from '../dom.js';
import { time } from '../format.js';

export function reasonField(id, placeholder) {
  return [
    h('label', { for: id }, 'Reason'),
    h('textarea', { id, name: 'reason', rows: 2, required: true, placeholder, maxlength: 500 }),
  ];
}

export async function confirmHoldDialog(caseId, reportResult) {
  await confirmDialog({
    title: `Confirm the cancel of ${caseId} now?`,
    body: [h('p', 'The held Cancel Case runs at once instead of at the end of the hold.'), reasonField('confirm-reason', 'Why confirm now?')],
    confirmLabel: 'Confirm cancel',
    dismissLabel: 'Back',
    focus: '#confirm-reason',
    async onConfirm(form) {
      const result = await confirmCancel(caseId, form.get('reason'));
      reportResult(result, 'Confirm cancel');
      return result;
    },
  });
}

export async function overrideHoldDialog(caseId, ctx, refresh) {
  await confirmDialog({
    title: `Override the cancel of ${caseId}?`,
    body: [h('p', 'The held Cancel Case is withdrawn and the case runs on. It counts as a false cancellation.'), reasonField('override-reason', 'Why is the case still valid?')],
    confirmLabel: 'Override and keep running',
    dismissLabel: 'Back',
    danger: false,
    focus: '#override-reason',
    async onConfirm(form) {
      const result = await overrideCancel(caseId, form.get('reason'));
      ctx.toast('Cancel overridden: the case runs on.', 'success');
      refresh();
      return result;
    },
  });
}

export async function purgeDialog(caseId, ctx, refresh) {
  await confirmDialog({
    title: `Erase the payloads of ${caseId}?`,
    body: [
      h('p', 'The case\'s input, outputs, checkpoints and resource details are erased now instead of at the end of its retention period. ',
        'The history keeps every event, with its payloads replaced by their sizes. This cannot be undone.'),
      reasonField('purge-reason', 'Why erase now (for example, the data subject asked)?'),
    ],
    confirmLabel: 'Erase payloads',
    dismissLabel: 'Keep them',
    focus: '#purge-reason',
    async onConfirm(form) {
      const result = await purgeCase(caseId, form.get('reason'));
      ctx.toast(`Payloads erased${result?.redactedAt ? ` at ${time(result.redactedAt)}` : ''}.`, 'success');
      refresh();
      return result;
    },
  });
}
