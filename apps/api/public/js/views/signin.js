// @ts-check
// Sign-in: paste a token, or (development mode only) pick a demo user from GET /demo/users.

import { field, h, replace, uid } from '../dom.js';
import { roleLabel } from '../format.js';
import { errorMessage, gql } from '../graphql.js';
import { ME } from '../queries.js';

/** @import { Me, Role } from '../types.js' */

/**
 * A demo user as GET /demo/users lists it (development mode only).
 * @typedef {{ userId: string, name: string, role: Role, organisationId: string, token: string }} DemoUser
 */

/**
 * Asks the API who a token belongs to; resolves to `me` or rejects with the API's refusal.
 * @param {string} token
 * @returns {Promise<Me>}
 */
export async function whoIs(token) {
  const data = await gql(ME, {}, { token });
  return data.me;
}

/**
 * The demo users, or none when the server does not offer them.
 * @returns {Promise<DemoUser[]>}
 */
async function demoUsers() {
  try {
    const response = await fetch('/demo/users', { headers: { accept: 'application/json' } });
    if (!response.ok) return [];
    /** @type {unknown} */
    const users = await response.json();
    return Array.isArray(users)
      ? users.filter((/** @type {Partial<DemoUser>} */ u) => typeof u.token === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * The form for a pasted token; `attempt` signs in with it.
 * @param {HTMLElement} errors where a refusal is shown
 * @param {(token: string, button: HTMLButtonElement) => void} attempt
 */
function tokenForm(errors, attempt) {
  const tokenInput = h('textarea', {
    name: 'token',
    rows: 4,
    spellcheck: 'false',
    autocomplete: 'off',
    required: true,
  });
  const tokenField = field(
    'Token (JWT)',
    tokenInput,
    'Lim inn tokenet du har fått. Det lagres bare i denne fanen.',
  );
  const submit = h('button', { class: 'button', type: 'submit' }, 'Logg inn');
  return h(
    'form',
    {
      class: 'stack',
      'aria-labelledby': 'token-heading',
      novalidate: true,
      onSubmit: (/** @type {Event} */ event) => {
        event.preventDefault();
        if (!tokenInput.value.trim()) {
          replace(
            errors,
            h(
              'div',
              { class: 'message message--error' },
              h('p', null, 'Lim inn et token før du logger inn.'),
            ),
          );
          tokenInput.focus();
          return;
        }
        attempt(tokenInput.value, submit);
      },
    },
    tokenField.wrap,
    h('div', { class: 'form-actions' }, submit),
  );
}

/**
 * The demo users, each a button that signs in as it.
 * @param {string} headingId
 * @param {DemoUser[]} users
 * @param {(token: string, button: HTMLButtonElement) => void} attempt
 */
function demoUsersOf(headingId, users, attempt) {
  return [
    h('h2', { id: headingId }, 'Demobrukere'),
    h(
      'p',
      { class: 'panel__hint' },
      'Serveren kjører i utviklingsmodus. Velg en bruker for å logge inn som den.',
    ),
    h(
      'ul',
      { class: 'demo-users' },
      users.map((u) => {
        const button = h(
          'button',
          { type: 'button', class: 'button button--quiet', dataset: { user: u.userId } },
          h('span', null, u.name),
          h('span', { class: 'role' }, `${roleLabel(u.role)} · ${u.organisationId}`),
        );
        button.addEventListener('click', () => attempt(u.token, button));
        return h('li', null, button);
      }),
    ),
  ];
}

/**
 * Renders the sign-in page into `main`. `onSignedIn(token, me)` is called once a token is accepted.
 * `notice` is shown first (e.g. "your sign-in expired").
 * @param {HTMLElement} main
 * @param {{ onSignedIn: (token: string, me: Me) => void, notice?: string | undefined }} options
 */
export function renderSignIn(main, { onSignedIn, notice }) {
  const errors = h('div', { class: 'form-errors', role: 'alert', 'data-testid': 'signin-error' });

  /**
   * @param {string} token
   * @param {HTMLButtonElement} button the button that tried, disabled meanwhile
   */
  const attempt = async (token, button) => {
    replace(errors);
    button.disabled = true;
    try {
      const me = await whoIs(token.trim());
      onSignedIn(token.trim(), me);
    } catch (error) {
      replace(errors, errorMessage(error, 'Innloggingen ble ikke godtatt.'));
      button.disabled = false;
    }
  };
  const form = tokenForm(errors, (token, button) => void attempt(token, button));

  const demoHeadingId = uid('demo');
  const demoSection = h('section', { class: 'panel', 'aria-labelledby': demoHeadingId, hidden: true });
  const heading = h('h1', { tabindex: '-1' }, 'Logg inn');
  replace(
    main,
    h(
      'div',
      { class: 'signin' },
      heading,
      h(
        'p',
        null,
        'Oppdragsflyt viser oppdragene fra Helse- og omsorgsdepartementet til de regionale helseforetakene: ',
        'hvem som leder hva, hva som er forfalt, og hele historikken. Hva du kan endre, avhenger av rollen din.',
      ),
      notice ? h('div', { class: 'message message--info', role: 'status' }, h('p', null, notice)) : null,
      errors,
      demoSection,
      h('section', { class: 'panel' }, h('h2', { id: 'token-heading' }, 'Logg inn med token'), form),
    ),
  );
  heading.focus();

  void demoUsers().then((users) => {
    if (users.length === 0) return;
    replace(
      demoSection,
      demoUsersOf(demoHeadingId, users, (token, button) => void attempt(token, button)),
    );
    demoSection.hidden = false;
  });
}
