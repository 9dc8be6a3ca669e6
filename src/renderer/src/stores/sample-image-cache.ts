// Sample images (PNG data URLs) by sample id, so scrubbing back and forth fetches each once.
// The cache keeps the most recently used entries only, since a long run has many samples.

export const SAMPLE_CACHE_SIZE = 64;

export class SampleImageCache {
  private readonly entries = new Map<number, Promise<string>>();

  constructor(
    private readonly fetchImage: (sampleId: number) => Promise<string>,
    private readonly capacity = SAMPLE_CACHE_SIZE,
  ) {}

  /** Returns the sample's data URL, fetching it on first use. A failed fetch is not kept. */
  get(sampleId: number): Promise<string> {
    const cached = this.entries.get(sampleId);
    if (cached) {
      // Re-insert so the Map's insertion order stays least recently used first.
      this.entries.delete(sampleId);
      this.entries.set(sampleId, cached);
      return cached;
    }

    const request = this.fetchImage(sampleId);
    this.entries.set(sampleId, request);
    request.catch(() => this.entries.delete(sampleId));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as number;
      this.entries.delete(oldest);
    }
    return request;
  }
}
