/** Python's round(): halves go to the even neighbour. torchvision and Ultralytics round this way. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // + 0 turns -0 (from rounding -0.1) into 0, so results compare equal to plain zeros
  return (Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) + 0;
}
