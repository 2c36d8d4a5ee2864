// A modal question before a step that cannot be undone: it names what will
// happen, in the person's language, and resolves to true only when the
// person confirms. Cancel, Escape or closing the dialog change nothing.
import { h } from './dom.js';
import { t } from './i18n.js';

export function confirmStep({ title, body, confirm, back = t('common.cancel') }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-h', 'aria-describedby': 'confirm-body' },
      h('h2', { id: 'confirm-h', text: title }),
      h('p', { id: 'confirm-body', text: body }),
      h('form', { method: 'dialog', class: 'row' },
        h('button', { type: 'submit', value: 'cancel', class: 'confirm-cancel', text: back }),
        h('button', { type: 'submit', value: 'ok', class: 'primary confirm-ok', text: confirm })));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('.confirm-cancel').focus();  // the safe choice first
  });
}
