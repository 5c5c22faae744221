/** First free byte above the static data: the TypeScript allocator manages everything above it. */
export function heapBase(): usize {
  return __heap_base;
}
