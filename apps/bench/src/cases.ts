/** The ops timed, in table order. Every peer maps each id to its own call, or says why it cannot. */
export const CASES = [
  { id: 'gray', label: 'gray (RGB -> 1 channel)' },
  { id: 'resize-960x540', label: 'resize bilinear -> 960x540' },
  { id: 'resize-640x640', label: 'resize bilinear -> 640x640' },
  { id: 'blur-5x5', label: 'Gaussian blur 5x5 (RGB)' },
  { id: 'canny', label: 'Canny 50/150 (grey)' },
] as const;

export type CaseId = (typeof CASES)[number]['id'];

/** One timed call; may return a promise (sharp) or not (Ocellus CPU, opencv.js). */
export type OpCall = () => unknown;

/** A library under test, prepared on the benchmark image: inputs made once, outside the timed calls. */
export interface Peer {
  /** Column title. */
  readonly name: string;
  /** Version and threading, for the report. */
  readonly version: string;
  /** A call per case, or the text to print in its cell when the library has no such op ('n/a'). */
  readonly ops: Readonly<Record<CaseId, OpCall | string>>;
  /** What differs from the other libraries' work, printed under the table. */
  readonly notes: readonly string[];
  close(): Promise<void> | void;
}
