// Parses the setup form's seeds field ("0,1,2") into the seeds to start one run each with.
const MAX_SEED = 2 ** 31 - 1;

export type SeedListResult = { ok: true; seeds: number[] } | { ok: false; message: string };

/** Parses a comma- or space-separated list of seeds; an empty field yields an empty list. */
export function parseSeedList(text: string): SeedListResult {
  const parts = text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

  const seeds: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part) || Number(part) > MAX_SEED) {
      return { ok: false, message: `Invalid seed "${part}": expected whole numbers from 0 to ${MAX_SEED}, separated by commas, e.g. 0,1,2.` };
    }

    const seed = Number(part);
    if (seeds.includes(seed)) {
      return { ok: false, message: `Seed ${seed} appears twice; list each seed once.` };
    }
    seeds.push(seed);
  }

  return { ok: true, seeds };
}
