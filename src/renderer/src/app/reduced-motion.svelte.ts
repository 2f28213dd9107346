/** Whether the OS asks for reduced motion, as a reactive value (updates when the setting changes). */
class ReducedMotion {
  current = $state(false);

  constructor() {
    if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia('(prefers-reduced-motion: reduce)');
    this.current = mq.matches;
    mq.addEventListener('change', (e) => (this.current = e.matches));
  }
}

export const reducedMotion = new ReducedMotion();
