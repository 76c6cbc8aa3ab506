// @ts-check
// Small helpers to build DOM nodes. Text is always set as text, never parsed as HTML.

let counter = 0;

/**
 * The element of the page's own markup with this id (a missing one is a bug in index.html).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el;
}

/**
 * A document-unique id for label/for and aria-describedby pairs.
 * @param {string} [prefix]
 */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * Creates an element: `h('a', { href: '#/', class: 'x', onClick: fn }, 'text', child)`.
 * Props: `class`, `text`, `dataset`, `on<Event>` handlers, `value`/`checked`/`selected`/`disabled`
 * as properties, everything else as attributes (`true` sets an empty attribute, false/null skip it).
 */
/**
 * Anything `h` and `append` take as a child: nodes, text, and (nested) arrays of them.
 * @typedef {Node | string | number | boolean | null | undefined | readonly unknown[]} Child
 */
/**
 * A prop `h` takes: text, a number or a flag (an attribute or property), an `on<Event>` handler, or the
 * `dataset`. null, undefined and false leave it out.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown) | Record<string, string | number>} Prop
 */
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, Prop> | null} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  // The element's properties by name (value, checked, selected, disabled).
  const properties = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el));
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (typeof value === 'object') {
      if (key === 'dataset') Object.assign(el.dataset, value);
    } else if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled')
      properties[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * Appends children (nodes, strings, numbers, nested arrays); null, undefined and false are skipped.
 * @template {Element} E
 * @param {E} el
 * @param {Child} children
 * @returns {E}
 */
export function append(el, children) {
  const flat = /** @type {Array<Node | string | number | boolean | null | undefined>} */ (
    [children].flat(Infinity)
  );
  for (const child of flat) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * Replaces all children of an element.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * A labelled form control wrapped in a `.field`; returns { wrap, control }.
 * @template {HTMLElement & { id: string }} C
 * @param {string} labelText
 * @param {C} control
 * @param {string | null} [help]
 * @returns {{ wrap: HTMLDivElement, control: C }}
 */
export function field(labelText, control, help) {
  const id = control.id || uid('f');
  control.id = id;
  /** @type {HTMLElement[]} */
  const parts = [h('label', { for: id }, labelText), control];
  if (help) {
    const helpId = `${id}-help`;
    control.setAttribute('aria-describedby', helpId);
    parts.push(h('span', { class: 'help', id: helpId }, help));
  }
  return { wrap: h('div', { class: 'field' }, parts), control };
}

/**
 * A <select> with options [{ value, label }], the one matching `selected` preselected.
 * @param {string} name
 * @param {Array<{ value: string | number, label: string }>} options
 * @param {string | number | null} [selected]
 */
export function select(name, options, selected) {
  return h(
    'select',
    { name },
    options.map((o) =>
      h('option', { value: o.value, selected: String(o.value) === String(selected ?? '') }, o.label),
    ),
  );
}

/**
 * A wrapper that scrolls a wide table sideways. It takes keyboard focus and has a name, so that its
 * overflow can be reached without a mouse.
 */
/**
 * @param {string} label
 * @param {...Child} children
 */
export function tableWrap(label, ...children) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, children);
}

/**
 * Moves focus to an element (a heading after a page change) without scrolling surprises.
 * @param {HTMLElement | null | undefined} el
 */
export function focusHeading(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}

/**
 * The named controls of a form (inputs, selects, text areas), for reading and setting their values.
 * @param {HTMLFormElement} form
 * @returns {Array<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>}
 */
export function namedControls(form) {
  /** @type {Array<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */
  const controls = [];
  for (const el of form.elements) {
    const named =
      el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
    if (named && el.name !== '') controls.push(el);
  }
  return controls;
}

/**
 * Runs `fn` once calls stop for `ms`.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @returns {(...args: A) => void}
 */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  return (...args) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
}
