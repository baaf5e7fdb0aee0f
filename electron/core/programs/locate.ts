// Where a path of keys sits in a YAML document, as line and column (1-based), for errors at their place.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Place {
  line: number;
  col: number;
}

/** The deepest node along `path` (the key itself when `atKey`); a missing key points at its parent. */
function nodeAt(doc: Document, path: ReadonlyArray<PropertyKey>, atKey: boolean): Node | null {
  let node = doc.contents as Node | null;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return node;
      if (atKey && index === path.length - 1) return pair.key as Node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as Node;
    } else {
      return node;
    }
  }
  return node;
}

export function placeOf(
  doc: Document,
  lines: LineCounter,
  path: ReadonlyArray<PropertyKey>,
  atKey = false,
): Place | null {
  const range = nodeAt(doc, path, atKey)?.range;
  return range ? lines.linePos(range[0]) : null;
}
