/** A determinate progress bar; `value` is 0..1. Styled by CSS; the native element keeps it accessible. */
export function ProgressBar({ value, label }: { value: number; label?: string }) {
  const clamped = Math.max(0, Math.min(1, value));
  return <progress className="progress" max={1} value={clamped} aria-label={label} />;
}
