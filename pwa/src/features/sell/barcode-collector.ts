/**
 * Tells a keyboard-wedge scanner from a person: a scanner "types" a whole code in a burst of
 * keystrokes a few milliseconds apart and ends it with Enter. Feed every key with its time;
 * on Enter after a fast enough burst of at least `minLength` characters, `feed` returns the code.
 */
export class BarcodeCollector {
  private buffer = '';
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxGapMs = 50,
    private readonly minLength = 4,
  ) {}

  feed(key: string, at: number): string | null {
    const gap = at - this.lastAt;
    this.lastAt = at;
    if (key === 'Enter') {
      const code = gap <= this.maxGapMs && this.buffer.length >= this.minLength ? this.buffer : null;
      this.buffer = '';
      return code;
    }
    if (key.length !== 1) {
      this.buffer = '';
      return null;
    }
    // A slow key starts a new burst: only the fast run just before Enter can be a scan.
    this.buffer = gap <= this.maxGapMs ? this.buffer + key : key;
    return null;
  }
}
