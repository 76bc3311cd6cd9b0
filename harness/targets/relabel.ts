import type { Target, TargetKind } from './target.ts';

/**
 * The same target under another identity: a RunPod pod is reached over SSH, but reports should say `runpod`
 * and name the pod. Every method still runs on the wrapped target.
 */
export function relabel(target: Target, kind: TargetKind, label: string): Target {
  return new Proxy(target, {
    get(wrapped, property) {
      if (property === 'kind') return kind;
      if (property === 'label') return label;
      const value = Reflect.get(wrapped, property, wrapped);
      return typeof value === 'function' ? value.bind(wrapped) : value;
    },
  });
}
