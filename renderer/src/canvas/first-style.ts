/**
 * Makes cytoscape's first styling of an element cheap in a compound graph. For every style
 * property it applies, cytoscape 3.34 clears caches that might hold values computed from
 * the element's old style: the derived states (visible, interactive, takes up space) of the
 * element, its ancestors, its descendants and all their edges, building four or five
 * collections each time, and the bounding boxes of the element, its compound parents and
 * its edges, with a `bounds` event each. For a 1,000-node lab with hypervisors that is
 * hundreds of thousands of collections and events before the first picture, about half of
 * its drawing time.
 *
 * On an element's first styling there is no old style: reading any of its style applies it
 * first, so no cache anywhere can hold a value computed from a style it never had. While an
 * element is styled for the first time, only its own cache is cleared and only the z-order
 * trigger runs; every later restyle takes cytoscape's own path. When cytoscape's internals
 * differ from what this expects, nothing is changed.
 */
import type cytoscape from 'cytoscape';

type Trigger = (ele: StyledElement, name: string, from: unknown, to: unknown) => void;

interface StyledElement {
  readonly _private: { appliedInitStyle?: boolean; styleCache?: unknown };
}

interface StylePrototype {
  checkTriggers?: Trigger;
  checkZOrderTrigger?: Trigger;
  firstStyleIsCheap?: boolean;
}

/** Installs the cheaper first styling on cytoscape's style prototype (once per page). */
export function cheapenFirstStyle(cy: cytoscape.Core): void {
  const proto = Object.getPrototypeOf(cy.style()) as StylePrototype;
  const own = proto.checkTriggers;
  const zOrder = proto.checkZOrderTrigger;
  if (proto.firstStyleIsCheap || typeof own !== 'function' || typeof zOrder !== 'function') return;
  proto.firstStyleIsCheap = true;
  proto.checkTriggers = function checkTriggers(this: StylePrototype, ele, name, from, to) {
    if (ele._private.appliedInitStyle) {
      own.call(this, ele, name, from, to);
      return;
    }
    ele._private.styleCache = null;
    zOrder.call(this, ele, name, from, to);
  };
}
