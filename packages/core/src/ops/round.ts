/** Python's round(): halves go to the even neighbour. torchvision and Ultralytics round this way. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
