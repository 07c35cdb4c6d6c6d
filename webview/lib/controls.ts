// Native form controls styled from the theme (media/webview.css). Plain elements instead of the
// @vscode-elements web components: they need no constructable stylesheets or shadow DOM, keep the
// page bundle small, and behave the same for keyboard users and for the preview's checks.
import { h } from './dom';

export function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string } = {}): HTMLButtonElement {
  const b = h('button', { class: options.secondary ? 'button secondary' : 'button', title: options.title, attrs: { type: 'button' } }, label);
  b.addEventListener('click', onClick);
  return b;
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function select(options: readonly Option[], value: string, props: { label: string; class: string }, onChange: (value: string) => void): HTMLSelectElement {
  const s = h('select', { class: props.class, attrs: { 'aria-label': props.label } });
  for (const o of options) {
    const option = h('option', { attrs: { value: o.value } }, o.label);
    option.selected = o.value === value;
    s.appendChild(option);
  }
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function textInput(value: string, props: { label: string; class: string; placeholder: string }, onInput: (value: string) => void): HTMLInputElement {
  const input = h('input', { class: props.class, attrs: { type: 'search', placeholder: props.placeholder, 'aria-label': props.label, spellcheck: 'false' } });
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  return input;
}

/** A CSS spinner for work under way (the status line says what). */
export function spinner(): HTMLElement {
  return h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } });
}
